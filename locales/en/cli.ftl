# The `tirek` command line.

cli-info-data-dir-writable = writable
cli-info-data-dir-not-writable = not writable
cli-info-language = Language
