import sys

from mentorkit.cli.main import main

sys.exit(main())
