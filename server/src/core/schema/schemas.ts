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
