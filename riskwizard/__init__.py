"""riskwizard: assess the ethical risks of a machine-learning system from the terminal."""

import os

__version__ = "0.1.0"

# Every answer a user gives is validated by pydantic. A pydantic plugin (any installed package that
# declares one through the `pydantic` entry point group, for example an observability hook) would be
# handed each of those values; riskwizard turns plugins off in its own process, so answers reach no
# code the user did not choose to run here. It also spares the scan of every installed package's
# entry points at start-up (about 8 ms with 100 packages; #14 item 7). The setting is process-wide: a
# program that imports riskwizard, and the processes it starts, run no pydantic plugin either.
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
