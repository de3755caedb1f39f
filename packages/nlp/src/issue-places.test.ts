import { describe, expect, it } from 'vitest';
import {
  PLACE_ADMIN,
  PLACE_AREA,
  PLACE_OWN,
  isSpecific,
  ownPlaceMentions,
  placeKind,
  placeSuffixes,
} from './issue-places.ts';

describe('place kinds', () => {
  it('tells administrative units, areas and roads, and places of their own apart', () => {
    expect(placeKind('A市')).toBe(PLACE_ADMIN);
    expect(placeKind('岳麓区')).toBe(PLACE_ADMIN);
    expect(placeKind('泉塘街道')).toBe(PLACE_AREA);
    expect(placeKind('东六路')).toBe(PLACE_AREA);
    expect(placeKind('丽发新城')).toBe(PLACE_OWN);
    expect(placeKind('宏达建筑公司')).toBe(PLACE_OWN);
    expect(isSpecific('A市')).toBe(false);
    expect(isSpecific('东六路')).toBe(true);
  });

  it('lists the suffixes of at least three characters, none for short names', () => {
    expect(placeSuffixes('商品房伊景园')).toEqual(['品房伊景园', '房伊景园', '伊景园']);
    expect(placeSuffixes('伊景园')).toEqual([]);
    expect(placeSuffixes('商品房伊景园')).toBe(placeSuffixes('商品房伊景园'));
  });

  it('counts the mentions of the most named place of its own, ignoring areas and administrative units', () => {
    expect(ownPlaceMentions({ A市: 9, 东六路: 7, 丽发新城: 3, 金桂苑: 4 })).toBe(4);
    expect(ownPlaceMentions({ A市: 9 })).toBe(0);
  });
});
