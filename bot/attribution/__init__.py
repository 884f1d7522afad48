"""Who said what, at ingest: statements found in an article's text (`extract`, the pipeline, built on
`quote_marks`, `cues` and `people`) and speakers grouped across spellings (`speakers`). The service that looks
them up is `bot.quotes`."""
