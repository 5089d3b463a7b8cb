# Dev-time check of data/dictionary.txt against the jieba word list (Debian python3-jieba):
# prints wrong forms that are themselves dictionary words, substrings of common words, or
# likely to arise across a word boundary, for a human to review and add exceptions.
# Run from the repository root: python3 internal/check/testdata/jieba_check.py
import collections
D={}
for l in open('/usr/lib/python3/dist-packages/jieba/dict.txt',encoding='utf-8'):
    w,f,*_=l.split(); D[w]=int(f)
ends=collections.defaultdict(list); starts=collections.defaultdict(list)
for w,f in D.items():
    if f>=300 and len(w)>=2:
        ends[w[-1]].append((f,w)); starts[w[0]].append((f,w))
for k in ends: ends[k].sort(reverse=True)
for k in starts: starts[k].sort(reverse=True)
entries=[]
for l in open('internal/check/data/dictionary.txt',encoding='utf-8'):
    if l.startswith('#') or l.startswith('@') or not l.strip(): continue
    f=[x.strip() for x in l.split('|')]
    ex=f[4].split() if len(f)>4 else []
    entries.append((f[0],f[2],ex))
words=[w for w in D if D[w]>=50]
for W,cls,ex in entries:
    first=W.split('...')[0]
    if not any('\u4e00'<=c<='\u9fff' for c in first): continue
    notes=[]
    if first in D and D[first]>=20: notes.append('IN-DICT %d'%D[first])
    sup=[w for w in words if first in w and w!=first and not any(e in w or w in e for e in ex)]
    sup=[w for w in sup if not any(x in w for x in [first])] or sup
    sup.sort(key=lambda w:-D[w])
    if sup: notes.append('IN '+','.join('%s:%d'%(w,D[w]) for w in sup[:5]))
    # boundary: split W into a|b
    best=None
    for i in range(1,len(first)):
        a,b=first[:i],first[i:]
        # a is suffix of a word A (A longer than a), b prefix of word B or b is word
        As=[(f,w) for f,w in ends.get(a[-1],[]) if w.endswith(a) and len(w)>len(a)][:1]
        Bs=[(f,w) for f,w in starts.get(b[0],[]) if w.startswith(b)][:1] if len(b)<=2 else ([(D[b],b)] if b in D else [])
        if len(a)>1 and a in D: As=[(D[a],a)]+As
        if As and Bs:
            sc=min(As[0][0],Bs[0][0])
            if not any(e in As[0][1]+Bs[0][1] or As[0][1] in e or Bs[0][1] in e for e in ex):
                if best is None or sc>best[0]: best=(sc,As[0][1]+'|'+Bs[0][1])
    if best and best[0]>=3000 and len(first)<=3: notes.append('SPLIT %s %d'%(best[1],best[0]))
    if notes: print(W,cls,' ; '.join(notes))
