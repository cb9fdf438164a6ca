"""Mission-neutral building blocks: errors, product writing, statistics, parallelism, plots."""
