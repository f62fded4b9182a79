// Numbers, money and time as people read them. Money arrives as integer micro-USD (or minor units) and is
// formatted with integer arithmetic: no floating point ever touches an amount.

const numberFormat = new Intl.NumberFormat(undefined);

export function count(n) {
  return n === null || n === undefined ? '–' : numberFormat.format(n);
}

/** Micro-USD (integer) to "$1.23", "$0.0042" or "$0.000188": two decimals, more when the amount is below a cent. */
export function usd(micro) {
  if (micro === null || micro === undefined) return '–';
  const negative = micro < 0;
  const abs = BigInt(Math.abs(micro));
  const dollars = abs / 1000000n;
  const fraction = (abs % 1000000n).toString().padStart(6, '0');
  let decimals = 2;
  if (dollars === 0n && abs > 0n) {
    const firstDigit = fraction.search(/[1-9]/);
    decimals = Math.min(6, Math.max(2, firstDigit + 2));
  }
  const cut = fraction.slice(0, decimals);
  return `${negative ? '-' : ''}$${numberFormat.format(dollars)}.${cut}`;
}

/** Minor units of a currency (Stripe's amounts) to "€9.00", "$29.00". */
export function money(minor, currency) {
  if (minor === null || minor === undefined) return '–';
  const code = (currency || 'usd').toUpperCase();
  const digits = new Intl.NumberFormat(undefined, {style: 'currency', currency: code}).resolvedOptions().maximumFractionDigits;
  const factor = 10n ** BigInt(digits);
  const value = BigInt(minor);
  const whole = value / factor;
  const frac = (value % factor).toString().padStart(digits, '0');
  const parts = new Intl.NumberFormat(undefined, {style: 'currency', currency: code}).formatToParts(0);
  const symbol = parts.find(p => p.type === 'currency')?.value ?? code;
  return digits === 0 ? `${symbol}${numberFormat.format(whole)}` : `${symbol}${numberFormat.format(whole)}.${frac}`;
}

/** A model's price per million tokens (micro-USD per million) as "$0.50". */
export function perMillion(microPerMillion) {
  return usd(microPerMillion);
}

/** 128000 -> "128k". */
export function compactTokens(n) {
  if (n === null || n === undefined) return '–';
  if (n >= 1000000) return `${trim(n / 1000000)}M`;
  if (n >= 1000) return `${trim(n / 1000)}k`;
  return String(n);
}

function trim(x) {
  return Number.isInteger(x) ? String(x) : x.toFixed(1).replace(/\.0$/, '');
}

const dateTimeFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium', timeStyle: 'short'});
const dateFormat = new Intl.DateTimeFormat(undefined, {dateStyle: 'medium'});

export function dateTime(iso) {
  return iso ? dateTimeFormat.format(new Date(iso)) : '–';
}

export function date(iso) {
  return iso ? dateFormat.format(new Date(iso)) : '–';
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, {numeric: 'auto'});

/** "3 minutes ago", "in 2 hours". */
export function relative(iso) {
  if (!iso) return 'never';
  const seconds = Math.round((new Date(iso).getTime() - Date.now()) / 1000);
  const units = [['year', 31536000], ['month', 2592000], ['day', 86400], ['hour', 3600], ['minute', 60]];
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relativeFormat.format(Math.round(seconds / size), unit);
  }
  return relativeFormat.format(seconds, 'second');
}

/** A percentage 0..100 (integer) of used against max; max 0 counts as full. */
export function percent(used, max) {
  if (!max) return used > 0 ? 100 : 0;
  return Math.min(100, Math.floor((used * 100) / max));
}
