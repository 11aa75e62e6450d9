"""riskwizard: assess the ethical risks of a machine-learning system from the terminal."""

__version__ = "0.1.0"
