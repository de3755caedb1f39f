/**
 * Kinds of place names for clustering: administrative units (A市, 岳麓区) tell events apart poorly, areas and roads
 * a little, a place of its own (estate, company, school …) well.
 */

/** Administrative places (A市, 岳麓区) are too broad to tell events apart; estates, streets, companies are not. */
const ADMIN_PLACE = /[省市区县]$/;
/** Areas and roads (街道, 镇, 社区, 东六路): many events share them; shared they help a little, different they prove nothing. */
const AREA_PLACE = /(?:街道|镇|乡|社区|村|路|街|大道|巷)$/;
/** Place-key suffixes shorter than this are not compared (园, 新城 name nothing on their own). */
const MIN_PLACE_KEY_CHARS = 3;
/** A place named by this share of an issue's mentions is one of its own (a mention naming others is another event). */
export const OWN_PLACE_SHARE = 0.25;

export const PLACE_ADMIN = 0;
export const PLACE_AREA = 1;
export const PLACE_OWN = 2;
/** Kinds of the places seen (bounded: cleared when it grows past {@link MAX_PLACES_CACHED}). */
const placeKinds = new Map<string, number>();
const MAX_PLACES_CACHED = 100_000;

/** Administrative unit ({@link PLACE_ADMIN}), area/road ({@link PLACE_AREA}) or a place of its own ({@link PLACE_OWN}). */
export function placeKind(place: string): number {
  let kind = placeKinds.get(place);
  if (kind === undefined) {
    kind = ADMIN_PLACE.test(place) ? PLACE_ADMIN : AREA_PLACE.test(place) ? PLACE_AREA : PLACE_OWN;
    if (placeKinds.size >= MAX_PLACES_CACHED) placeKinds.clear();
    placeKinds.set(place, kind);
  }
  return kind;
}

/** Whether a place is narrower than an administrative unit (only those are indexed). */
export function isSpecific(place: string): boolean {
  return placeKind(place) !== PLACE_ADMIN;
}

/** Suffixes of the places seen (bounded like {@link placeKinds}): each mention looks its places' up again. */
const placeSuffixCache = new Map<string, readonly string[]>();
const NO_SUFFIXES: readonly string[] = [];

/** Suffixes of a place name long enough to name something (商品房伊景园 → 品房伊景园 … 伊景园). */
export function placeSuffixes(place: string): readonly string[] {
  if (place.length <= MIN_PLACE_KEY_CHARS) return NO_SUFFIXES;
  let out = placeSuffixCache.get(place);
  if (out === undefined) {
    const suffixes: string[] = [];
    for (let i = 1; place.length - i >= MIN_PLACE_KEY_CHARS; i++) suffixes.push(place.slice(i));
    if (placeSuffixCache.size >= MAX_PLACES_CACHED) placeSuffixCache.clear();
    placeSuffixCache.set(place, (out = suffixes));
  }
  return out;
}

/**
 * Mentions naming an issue's most named place of its own (estate, company …), from its place counts: the issue is
 * about that place when a good share of its mentions name it ({@link OWN_PLACE_SHARE}).
 */
export function ownPlaceMentions(places: Record<string, number>): number {
  let most = 0;
  for (const place in places) {
    if (places[place]! > most && placeKind(place) === PLACE_OWN) most = places[place]!;
  }
  return most;
}
