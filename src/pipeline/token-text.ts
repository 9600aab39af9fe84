/**
 * Tokens as one space-separated string (tokens never contain spaces): how an analysis crosses threads and
 * how an article is stored. Cloning or serializing one string is far cheaper than hundreds of short ones.
 * An array made from such a string remembers it, so an article analyzed on a worker is stored without
 * joining its tokens again (tokens are never changed after the pipeline).
 */
const texts = new WeakMap<readonly string[], string>();

export function tokensToText(tokens: readonly string[]): string {
  return texts.get(tokens) ?? tokens.join(' ');
}

export function tokensFromText(text: string): string[] {
  const tokens = text ? text.split(' ') : [];
  texts.set(tokens, text);
  return tokens;
}
