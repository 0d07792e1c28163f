/** The rule registry, sorted by id. */
import type { Rule } from '../rule';
import { duplicateName } from './duplicate-name';
import { duplicateTenantName } from './duplicate-tenant-name';
import { internalError } from './internal-error';
import { invalidSuppression } from './invalid-suppression';
import { noTenantManifest } from './no-tenant-manifest';
import { schema } from './schema';
import { unknownKind } from './unknown-kind';
import { undeclaredFact } from './undeclared-fact';
import { unknownOwner } from './unknown-owner';
import { unresolvedGroup } from './unresolved-group';
import { yamlSyntax } from './yaml-syntax';
import { IDENTITY_RULES } from './registry-identity';
import { ENDPOINT_RULES } from './registry-endpoint';
import { COMPLIANCE_HARDENING_RULES } from './registry-compliance-hardening';
import { CA_HARDENING_RULES } from './registry-ca-hardening';
import { DEVICE_HARDENING_RULES } from './registry-device-hardening';
import { CA_RISK_RULES } from './registry-ca-risk';
import { SETTINGS_CATALOG_RULES } from './registry-settings-catalog';
import { CONFIGURATION_RULES } from './registry-configuration';

export const RULES: Rule[] = [
  duplicateName,
  duplicateTenantName,
  internalError,
  invalidSuppression,
  noTenantManifest,
  schema,
  undeclaredFact,
  unknownKind,
  unknownOwner,
  unresolvedGroup,
  yamlSyntax,
  ...IDENTITY_RULES,
  ...ENDPOINT_RULES,
  ...COMPLIANCE_HARDENING_RULES,
  ...CA_HARDENING_RULES,
  ...DEVICE_HARDENING_RULES,
  ...CA_RISK_RULES,
  ...SETTINGS_CATALOG_RULES,
  ...CONFIGURATION_RULES,
].sort((a, b) => a.id.localeCompare(b.id));

export function ruleById(id: string): Rule | undefined {
  return RULES.find((r) => r.id === id);
}
