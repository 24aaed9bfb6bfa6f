"""`python -m planner.demo --preset demo --out data/demo`: write a seeded dataset."""

from planner.demo.generator import main

raise SystemExit(main())
