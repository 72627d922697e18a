// Company identifiers (issue 23): the Legal Entity Identifier's check digits, and the shapes of a
// Wikidata item and a stock ticker. Plain code, safe on the client and the server.

/**
 * ISO 17442: 18 characters then two check digits, verified as in IBANs by ISO 7064 MOD 97-10 —
 * letters become 10…35 and the whole number modulo 97 must be 1. Worked digit by digit so no
 * BigInt is needed (a 20-character LEI is up to 40 digits long).
 */
export function leiCheckDigitsValid(lei: string): boolean {
  if (!/^[0-9A-Z]{18}[0-9]{2}$/.test(lei)) return false;
  let remainder = 0;
  for (const char of lei) {
    const value = parseInt(char, 36);
    remainder = value < 10 ? (remainder * 10 + value) % 97 : (remainder * 100 + value) % 97;
  }
  return remainder === 1;
}

/** "Q" and a number without leading zeros: Q312 is Apple Inc. */
export const WIKIDATA_ID = /^Q[1-9][0-9]*$/;

/** "EXCHANGE:SYMBOL" as Google Finance and Wikidata write it: NASDAQ:AAPL, KRX:005930, LSE:VOD, TSE:9432. */
export const TICKER = /^[A-Z][A-Z0-9]{1,9}:[A-Z0-9][A-Z0-9.-]{0,14}$/;
