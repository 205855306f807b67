/** The demo city that `npm start` seeds; its ids are fixed by shared/contract/README.md. */

import type { UnitRepository } from '../functions/administration/store/units.js';
import type { Unit } from '../functions/kernel/domain/units.js';

const city = { id: 'city:shijiazhuang', name: '石家庄市' };
const tree: { id: string; name: string; streets: { id: string; name: string; communities: string[] }[] }[] = [
  {
    id: 'district:xinhua',
    name: '新华区',
    streets: [
      { id: 'street:gexin', name: '革新街街道', communities: ['community:gexin-01', 'community:gexin-02'] },
      { id: 'street:dongfeng', name: '东风街道', communities: ['community:dongfeng-01', 'community:dongfeng-02'] },
    ],
  },
  {
    id: 'district:changan',
    name: '长安区',
    streets: [
      { id: 'street:jianbei', name: '建北街道', communities: ['community:jianbei-01', 'community:jianbei-02'] },
    ],
  },
];

function communityName(streetName: string, communityId: string): string {
  const number = communityId.slice(-2);
  return `${streetName.replace(/街道$/, '')}第${number}社区`;
}

export const demoCityUnits: Unit[] = [
  { ...city, path: [city.id] },
  ...tree.flatMap((district) => [
    { id: district.id, name: district.name, path: [city.id, district.id] },
    ...district.streets.flatMap((street) => [
      { id: street.id, name: street.name, path: [city.id, district.id, street.id] },
      ...street.communities.map((id) => ({
        id,
        name: communityName(street.name, id),
        path: [city.id, district.id, street.id, id],
      })),
    ]),
  ]),
];

/** Seeds the demo city's tree as its version 1, through the same versions an import writes (once). */
export function seedDemoCity(units: Pick<UnitRepository, 'seed'>): Promise<void> {
  return units.seed(city.id, demoCityUnits, new Date().toISOString());
}
