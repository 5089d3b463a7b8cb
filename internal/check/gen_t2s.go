//go:build ignore

// gen_t2s writes data/t2s.txt, the traditional → simplified character table
// the sensitive-word rule normalises with, from the Unicode Character
// Database's Unihan_Variants.txt (kSimplifiedVariant), as shipped by
// Debian's unicode-data package (Unicode 15.0):
//
//	apt-get install unicode-data
//	go run gen_t2s.go /usr/share/unicode/Unihan_Variants.txt.bz2
//
// A character is mapped when it has a simplified variant and is not itself
// listed among its simplified variants (乾 is both 干's traditional form and
// a simplified character of its own, so it is kept).
package main

import (
	"bufio"
	"compress/bzip2"
	"fmt"
	"io"
	"log"
	"os"
	"slices"
	"strconv"
	"strings"
)

func main() {
	f, err := os.Open(os.Args[1])
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(os.Args[1], ".bz2") {
		r = bzip2.NewReader(f)
	}
	type pair struct{ t, s rune }
	var pairs []pair
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Split(sc.Text(), "\t")
		if len(fields) != 3 || fields[1] != "kSimplifiedVariant" {
			continue
		}
		t := cp(fields[0])
		var simp []rune
		for _, v := range strings.Fields(fields[2]) {
			simp = append(simp, cp(v))
		}
		if len(simp) == 0 || slices.Contains(simp, t) || simp[0] > 0xFFFF || t > 0xFFFF {
			continue
		}
		pairs = append(pairs, pair{t, simp[0]})
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	out, err := os.Create("data/t2s.txt")
	if err != nil {
		log.Fatal(err)
	}
	w := bufio.NewWriter(out)
	fmt.Fprintln(w, "# 繁体字 → 简化字对照（敏感词匹配归一化用）。")
	fmt.Fprintln(w, "# 由 gen_t2s.go 从 Unicode 15.0 Unihan_Variants.txt 的 kSimplifiedVariant 生成，勿手工编辑。")
	fmt.Fprintln(w, "# Unicode 数据使用条款：https://www.unicode.org/license.txt")
	for _, p := range pairs {
		fmt.Fprintf(w, "%c%c\n", p.t, p.s)
	}
	if err := w.Flush(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%d pairs", len(pairs))
}

func cp(s string) rune {
	v, err := strconv.ParseUint(strings.TrimPrefix(s, "U+"), 16, 32)
	if err != nil {
		log.Fatal(err)
	}
	return rune(v)
}
