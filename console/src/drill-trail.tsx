/**
 * Where a drill-down stands (the dashboard, the scorecard): the acting unit, then each unit
 * clicked into, each a link back up. Shown by name.
 */
import { Breadcrumb, Button } from 'antd';
import { useUnitNames } from './unit-names.js';

export interface DrillStep {
  unit: string;
  name: string;
}

export function DrillTrail(props: {
  root: string | undefined;
  trail: DrillStep[];
  onChange: (trail: DrillStep[]) => void;
}) {
  const { root, trail, onChange } = props;
  const unitName = useUnitNames();
  return (
    <Breadcrumb
      style={{ marginTop: 16 }}
      items={[
        {
          title: (
            <Button type="link" size="small" onClick={() => onChange([])}>
              {unitName(root)}
            </Button>
          ),
        },
        ...trail.map((step, i) => ({
          title: (
            <Button type="link" size="small" onClick={() => onChange(trail.slice(0, i + 1))}>
              {step.name}
            </Button>
          ),
        })),
      ]}
    />
  );
}
