/** The licence table (`data/licenses.json`): the one place that says what each licence covers. */
import table from './data/licenses.json';

export interface LicenseInfo {
  id: string;
  name: string;
  layers: number[];
  conditionalAccess: boolean;
  entraIdP2: boolean;
  source: string;
}

export const LICENSES: LicenseInfo[] = table.licenses;
export const LICENSE_IDS: string[] = LICENSES.map((l) => l.id);

export function licenseInfo(id: string): LicenseInfo | undefined {
  return LICENSES.find((l) => l.id === id);
}
