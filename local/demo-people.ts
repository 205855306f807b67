/** The demo people of `../shared/contract/README.md`: seeded in the staff directory and shown on the local sign-in page. */
import type { Role } from '../functions/kernel/domain/actor.js';

export interface DemoPerson {
  sub: string;
  name: string;
  role: Role;
  unit: string;
}

export const demoPeople: readonly DemoPerson[] = [
  { sub: 'staff-gexin-01', name: '王芳', role: 'community-staff', unit: 'community:gexin-01' },
  { sub: 'staff-gexin-02', name: '刘洋', role: 'community-staff', unit: 'community:gexin-02' },
  { sub: 'staff-jianbei-01', name: '陈静', role: 'community-staff', unit: 'community:jianbei-01' },
  { sub: 'approver-gexin', name: '赵磊', role: 'street-approver', unit: 'street:gexin' },
  { sub: 'approver-dongfeng', name: '孙丽', role: 'street-approver', unit: 'street:dongfeng' },
  { sub: 'approver-jianbei', name: '周强', role: 'street-approver', unit: 'street:jianbei' },
  { sub: 'approver-xinhua', name: '吴敏', role: 'district-approver', unit: 'district:xinhua' },
  { sub: 'approver-city', name: '郑伟', role: 'city-approver', unit: 'city:shijiazhuang' },
  { sub: 'monitor-city', name: '何静', role: 'city-monitor', unit: 'city:shijiazhuang' },
  { sub: 'admin-city', name: '马军', role: 'city-admin', unit: 'city:shijiazhuang' },
  { sub: 'auditor-city', name: '冯涛', role: 'auditor', unit: 'city:shijiazhuang' },
];
