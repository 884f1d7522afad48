"""Article bot: grounded Q&A and cited summaries over news articles."""

__version__ = "0.1.0"
