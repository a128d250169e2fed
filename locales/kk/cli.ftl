# `tirek` командалық жолы.

cli-info-data-dir-writable = жазуға болады
cli-info-data-dir-not-writable = жазу мүмкін емес
cli-info-language = Тіл
