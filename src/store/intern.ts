/**
 * One string object per distinct value of a column read row by row (issue 9): a reader gets a new string for
 * every value it reads, so a region's enrolment rows hold the same disease code, institution code, date or person
 * number once per row. Interned, the rows share one string per value. For reading a result once; the table lives
 * as long as the reader's loop.
 */
export function stringInterner(): (s: string) => string {
  const seen = new Map<string, string>();
  return (s) => {
    const had = seen.get(s);
    if (had !== undefined) return had;
    seen.set(s, s);
    return s;
  };
}
