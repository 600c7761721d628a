"""``python -m toolkit.synth DIR [--seed N] [--scale X]``: write the synthetic sample data."""

from toolkit.synth import main

raise SystemExit(main())
