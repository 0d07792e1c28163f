import { spanAtPath } from '../document';
import { modelOf } from '../model/index';
import type { Rule } from '../rule';

const CERT_PATH = ['settings', 'applePushCertificate', 'expirationDateTime'];

/** The tenant's Apple MDM push certificate expires within 30 days, or has expired. */
export const applePushCertificateExpiry: Rule = {
  id: 'apple-push-certificate-expiry',
  title: 'The Apple MDM push certificate is expiring or has expired',
  category: 'layer',
  layer: 2,
  defaultSeverity: 'warning',
  sources: ['https://learn.microsoft.com/intune/intune-service/enrollment/apple-mdm-push-certificate-get'],
  peers: ['MT.1092'],
  emitsOn: ['manifest'],
  check(tenant, emit) {
    const manifest = tenant.manifest;
    if (!tenant.root || !manifest) return;
    // The tenant model's reading of the certificate (the same the enrollment answers use): expiring within
    // APPLE_PUSH_WARNING_DAYS (Microsoft's guidance is to renew before the last month), or expired.
    const cert = modelOf(tenant).declared.applePush;
    if (cert.state !== 'expiring' && cert.state !== 'expired') return;
    const raw = (manifest.settings.applePushCertificate as { expirationDateTime?: unknown }).expirationDateTime;
    const shown = raw instanceof Date ? raw.toISOString().slice(0, 10) : String(raw);
    const span = spanAtPath(manifest.parsed, CERT_PATH, 'value');
    const renew =
      'renew it in Intune (Devices > Enrollment > Apple > MDM Push Certificate) with the SAME Apple ID (Renew, not Create, or every Apple device must enroll again), then update expirationDateTime';
    // A tenant whose declared platforms name no Apple one manages no device through the certificate: information that
    // it lapsed, not an outage (it is needed again only before an Apple device enrolls).
    const model = modelOf(tenant);
    const apple = (pl: string): boolean => pl === 'iOS' || pl === 'macOS';
    // Neither declared nor managed: no compliance policy, profile or restriction of the tenant is for an Apple device.
    const managed = tenant.policies.some((p) => p.kind !== 'ConditionalAccessPolicy' && p.kind !== 'AppProtectionPolicy' && !(p.kind === 'EnrollmentRestriction' && p.allPlatforms) && p.platforms.some(apple));
    if (model.platformsDeclared && !model.platforms.some(apple) && !managed) {
      emit({
        file: manifest,
        span,
        severity: 'information',
        message: `the Apple MDM push certificate ${cert.state === 'expired' ? 'expired' : 'expires'} on ${shown}, but \`platforms\` names no Apple platform, so no device of this tenant depends on it; before any iPhone, iPad or Mac enrolls, ${renew}`,
        data: { expirationDateTime: raw, expired: cert.state === 'expired' },
      });
      return;
    }
    if (cert.state === 'expired') {
      const ago = cert.daysAgo;
      emit({
        file: manifest,
        span,
        severity: 'error',
        message: `the Apple MDM push certificate expired on ${shown}${ago > 0 ? ` (${ago} day${ago === 1 ? '' : 's'} ago)` : ''}: Intune can no longer reach enrolled iPhones, iPads and Macs; ${renew}`,
        data: { expirationDateTime: raw, expired: true },
      });
      return;
    }
    const days = cert.daysLeft;
    emit({
      file: manifest,
      span,
      message: `the Apple MDM push certificate expires on ${shown} (${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}); when it lapses Intune can no longer reach enrolled Apple devices. ${renew[0]!.toUpperCase()}${renew.slice(1)}`,
      data: { expirationDateTime: raw, expired: false },
    });
  },
};
