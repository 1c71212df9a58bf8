"""Survey rules as data and exact arithmetic: instruments, periods, rounding, grades, readiness."""
