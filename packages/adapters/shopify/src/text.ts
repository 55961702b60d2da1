/** A message as a sentence: its own final stop, or a period, so that another sentence can follow it. */
export function asSentence(message: string): string {
  const m = message.trim();
  return /[.!?…]$/.test(m) ? m : `${m}.`;
}
