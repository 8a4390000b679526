from ctkg.cli import main

raise SystemExit(main())
