# Командная строка `tirek`.

cli-info-data-dir-writable = запись разрешена
cli-info-data-dir-not-writable = запись невозможна
cli-info-language = Язык
