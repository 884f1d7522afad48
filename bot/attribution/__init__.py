"""Who said what, at ingest: statements found in an article's text (`extract`) and speakers grouped across
spellings (`speakers`). The service that looks them up is `bot.quotes`."""
