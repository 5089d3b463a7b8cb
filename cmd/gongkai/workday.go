package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"gongkai"
	"gongkai/internal/store"
	"gongkai/internal/workday"
)

// workday answers working-day questions on the calendar in force (embedded
// years plus admin corrections in the database).
func (m *Main) workday(ctx context.Context, args []string) error {
	if len(args) == 0 {
		return usageError("用法：gongkai workday add DATE N | between A B | is DATE | set-year FILE | years")
	}
	sub := args[0]
	synopsis := map[string]string{"add": "add DATE N", "between": "between A B", "is": "is DATE", "set-year": "set-year FILE", "years": "years"}[sub]
	if synopsis == "" {
		synopsis = sub + " …"
	}
	fs, df := m.newFlags("workday "+sub, "workday "+synopsis)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	pos := fs.Args()
	need := map[string]int{"add": 2, "between": 2, "is": 1, "set-year": 1, "years": 0}
	n, ok := need[sub]
	if !ok {
		return usageError("未知的 workday 子命令“%s”，可用：add、between、is、set-year、years", sub)
	}
	if len(pos) != n {
		return usageError("workday %s 需要 %d 个参数", sub, n)
	}
	dates := make([]gongkai.Date, 0, 2)
	if sub == "add" || sub == "between" || sub == "is" {
		for _, s := range pos[:min(len(pos), map[string]int{"add": 1, "between": 2, "is": 1}[sub])] {
			d, err := gongkai.ParseDate(s)
			if err != nil {
				return usageError("日期“%s”格式不正确，应为 YYYY-MM-DD", s)
			}
			dates = append(dates, d)
		}
	}
	count := 0
	if sub == "add" {
		v, err := strconv.Atoi(pos[1])
		if err != nil || v < 1 {
			return usageError("工作日数 N 应为不小于1的整数，而不是“%s”", pos[1])
		}
		count = v
	}
	// A question about the calendar needs no database where there is none:
	// the embedded notices are then the whole calendar in force (years an
	// admin entered live in a database). Opening the store would create
	// ./gongkai-data with a database and a data key in whatever directory
	// the question was asked.
	if sub != "set-year" && df.databaseURL == "" {
		if _, err := os.Stat(filepath.Join(df.data, store.SQLiteFile)); errors.Is(err, os.ErrNotExist) {
			return m.answerWorkday(sub, workday.Embedded(), nil, dates, count)
		}
	}
	db, _, err := m.openStore(ctx, df, nil)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := db.Calendar()
	if sub == "set-year" {
		data, err := os.ReadFile(pos[0])
		if err != nil {
			return fmt.Errorf("无法读取 %s：%w", pos[0], err)
		}
		y, err := svc.SetCalendarYear(cli(ctx), data)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "已录入%d年放假安排（%s）。\n", y.Year, y.Source)
		return nil
	}
	var years []gongkai.CalendarYear
	if sub == "years" {
		if years, err = svc.CalendarYears(ctx); err != nil {
			return err
		}
	}
	cal, err := svc.Workdays(ctx)
	if err != nil {
		return err
	}
	return m.answerWorkday(sub, cal, years, dates, count)
}

// answerWorkday prints the answer to a workday question (not set-year).
// years is the listing for "years"; nil means the embedded calendar's.
func (m *Main) answerWorkday(sub string, cal gongkai.Workdays, years []gongkai.CalendarYear, dates []gongkai.Date, count int) error {
	switch sub {
	case "years":
		if years == nil {
			years = store.CalendarYearsOf(workday.Embedded(), nil)
		}
		for _, y := range years {
			origin := "内置"
			if y.Override {
				origin = "管理员录入"
			}
			fmt.Fprintf(m.Stdout, "%d\t%s\t%s\t%s\n", y.Year, origin, y.DocNo, y.Source)
		}
	case "add":
		d, err := cal.Add(dates[0], count)
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, d)
	case "between":
		n, err := cal.Between(dates[0], dates[1])
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, n)
	case "is":
		ok, err := cal.IsWorkday(dates[0])
		if err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, ok)
	}
	return nil
}
