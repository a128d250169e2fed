# Командная строка `tirek`.

cli-info-data-dir-writable = запись разрешена
cli-info-data-dir-not-writable = запись невозможна
cli-info-language = Язык
cli-password-prompt = Пароль:
cli-password-repeat = Повторите пароль:
cli-old-password-prompt = Текущий пароль:
cli-new-password-prompt = Новый пароль:
cli-recovery-key-prompt = Ключ восстановления:
cli-password-mismatch = Пароли не совпадают; ничего не изменено
cli-secret-missing = На стандартном вводе ожидалась ещё одна строка (пароль или ключ восстановления); ничего не изменено
cli-profile-created = Профиль создан: { $name } ({ $id })
cli-recovery-key-heading = Ключ восстановления — показывается только один раз. Распечатайте или запишите его и храните в сейфе поликлиники; он открывает профиль, если пароль забыт или компьютер заменён:
cli-password-changed = Пароль изменён
cli-profile-deleted = Профиль и все его данные удалены
cli-db-check-ok = База данных цела: проверки целостности SQLite и SQLCipher не нашли повреждений
cli-no-profiles = На этом компьютере пока нет профилей. Создайте профиль: tirek profile create --name "Ваше имя"
cli-audit-intact = Журнал аудита цел: все звенья его цепочки хешей совпадают
cli-audit-altered = Журнал аудита подделан: событие { $id } изменено после записи
cli-audit-missing = Журнал аудита подделан: событие { $id } удалено
cli-audit-witness-checked = Сверено с сервером организации, который видел журнал до события { $id }.
cli-audit-witness-unreachable = Сервер организации недоступен, поэтому последние события журнала с ним не сверены.
cli-audit-witness-not-seen = Сервер организации ещё не получал этот журнал, поэтому его последние события проверены только здесь.
cli-backup-created = Резервная копия профиля { $name } записана
cli-backup-verified = Резервная копия профиля { $name } открывается и проходит проверки целостности
cli-backup-restored = Профиль { $name } восстановлен из резервной копии
cli-iin-valid = ИИН верен: дата рождения { $date }, { $sex ->
    [male] мужской пол
   *[female] женский пол
}
cli-client-added = Клиент добавлен: { $id }
cli-client-total = Показано { $shown } из { $total }
cli-client-erased = Запись клиента удалена (удалено записей: { $count }); в журнале аудита остался только факт удаления
cli-consult-added = Консультация записана: { $id }
cli-consult-signed = Консультация подписана; исправления теперь вносятся дополнениями
cli-demo-seeded = Добавлена демонстрационная нагрузка. Клиентов: { $clients }, консультаций: { $consultations }
cli-field-birth-date = Дата рождения
cli-field-iin = ИИН
cli-field-phone = Телефон
cli-field-place = Район
cli-field-last-contact = Последний контакт
cli-field-child = Ребёнок
cli-unknown-language = Неизвестный язык: укажите kk, ru или en
cli-clinic-not-set = Реквизиты поликлиники ещё не заданы: tirek clinic set --name "…"
cli-service-example = пример — замените реальной службой
cli-service-import-what = Укажите CSV-файл для импорта или --examples.
cli-services-imported = В справочник добавлено служб: { $count }.
cli-instrument-ok = { $id }: файл корректен (пунктов: { $items })
cli-answer-not-a-number = Ответ { $position } («{ $answer }») — не число
cli-change-reliable-improvement = достоверное улучшение
cli-change-reliable-deterioration = достоверное ухудшение
cli-change-no-reliable-change = нет достоверного изменения
cli-instrument-imported = { $id }: импортирован (пунктов: { $items }); теперь он доступен в окне программы
cli-schedule-added = { $instrument }: расписание задано; следующий раз { $date }
