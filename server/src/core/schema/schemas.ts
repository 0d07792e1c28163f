/**
 * The generated JSON Schemas, bundled into each host so that nothing is read or fetched at run time.
 */
import appProtection from '../../../../schemas/app-protection-policy.schema.json';
import autopilot from '../../../../schemas/autopilot-profile.schema.json';
import compliance from '../../../../schemas/compliance-policy.schema.json';
import conditionalAccess from '../../../../schemas/conditional-access-policy.schema.json';
import configuration from '../../../../schemas/configuration-profile.schema.json';
import defender from '../../../../schemas/defender-connector.schema.json';
import dlp from '../../../../schemas/endpoint-dlp-policy.schema.json';
import enrollment from '../../../../schemas/enrollment-restriction.schema.json';
import manifest from '../../../../schemas/zerotrust.schema.json';
import type { PolicyKind } from '../kinds';

export type SchemaObject = Record<string, unknown>;

export const POLICY_SCHEMAS: Record<PolicyKind, SchemaObject> = {
  AppProtectionPolicy: appProtection as SchemaObject,
  EnrollmentRestriction: enrollment as SchemaObject,
  AutopilotProfile: autopilot as SchemaObject,
  CompliancePolicy: compliance as SchemaObject,
  ConditionalAccessPolicy: conditionalAccess as SchemaObject,
  ConfigurationProfile: configuration as SchemaObject,
  DefenderConnector: defender as SchemaObject,
  EndpointDlpPolicy: dlp as SchemaObject,
};

export const MANIFEST_SCHEMA: SchemaObject = manifest as SchemaObject;

/**
 * The date of the Graph metadata the schemas were generated from (`schemas/src/graph-types.json`'s `snapshot.date`),
 * so that a message about a property the metadata lacks can say how old the metadata is.
 */
export const GRAPH_SNAPSHOT: string = String((manifest as SchemaObject)['x-graphSnapshot'] ?? 'unknown');

/**
 * The `@odata.type` a body without one stands for, when its kind has a Graph type that Graph exports untagged
 * (`x-untagged`: the settings catalog's `deviceManagementCompliancePolicy`, Linux compliance) and the body has that
 * type's shape (`platforms` or `settings`). Undefined otherwise.
 */
export function impliedODataType(root: SchemaObject, data: unknown): string | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if ('@odata.type' in d || !('platforms' in d || 'settings' in d)) return undefined;
  for (const def of Object.values((root.definitions as Record<string, SchemaObject> | undefined) ?? {})) {
    if (def['x-untagged'] === true && typeof def['x-graphType'] === 'string') return `#microsoft.graph.${def['x-graphType']}`;
  }
  return undefined;
}
