// The caseload list's search and filters, kept while the user visits a client so
// that Back returns to the same list.

export type Order = "name" | "last_contact" | "next_due";

export const listState = $state({
  search: "",
  district: "",
  overdue: false,
  /** "" for any, else a number of days. */
  noContactDays: "",
  archived: false,
  /** Only clients with an unresolved risk flag. */
  openFlags: false,
  order: "name" as Order,
});

export const NO_CONTACT_CHOICES = [30, 60, 90, 180] as const;

/** Whether anything narrows the list (then an empty list is "no match", not "no clients"). */
export function filtering(): boolean {
  return (
    listState.search.trim() !== "" ||
    listState.district !== "" ||
    listState.overdue ||
    listState.noContactDays !== "" ||
    listState.archived ||
    listState.openFlags
  );
}
