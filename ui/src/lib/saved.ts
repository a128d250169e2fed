// Where a file was saved, said the way a person thinks of it: its name and the
// folder it is in, not a full path (the full path is on hover).

/** The file's name and its folder's name, from a path the system's dialog returned. */
export function savedPlace(path: string): { file: string; folder: string } {
  const parts = path.split(/[\\/]+/).filter((part) => part.length > 0);
  const file = parts.pop() ?? path;
  const folder = parts.pop() ?? (path.startsWith("/") ? "/" : "");
  return { file, folder };
}
