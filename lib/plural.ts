/** A count with its noun, singular for exactly one: "1 deal", "2 deals", "1,234 companies". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString("en")} ${count === 1 ? one : many}`;
}
