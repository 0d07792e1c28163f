import { isPlainObject, spanAtPath } from '../document';
import type { Rule } from '../rule';

const DAY_MS = 24 * 60 * 60 * 1000;
/** The warning window: Microsoft's guidance is to renew before the last month. */
const WARN_DAYS = 30;
const CERT_PATH = ['settings', 'applePushCertificate', 'expirationDateTime'];

/**
 * The expiry as a time: a plain `YYYY-MM-DD` is that day at 00:00 UTC (the earliest it can lapse), a full
 * date-time is read as written. Undefined when it is not a real date (the schema reports the shape).
 */
export function parseExpiry(value: unknown): Date | undefined {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

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
    const cert = manifest.settings.applePushCertificate;
    const raw = isPlainObject(cert) ? cert.expirationDateTime : undefined;
    const expiry = parseExpiry(raw);
    if (!expiry) return;
    const left = expiry.getTime() - tenant.now.getTime();
    if (left > WARN_DAYS * DAY_MS) return;
    const span = spanAtPath(manifest.parsed, CERT_PATH, 'value');
    const renew =
      'renew it in Intune (Devices > Enrollment > Apple > MDM Push Certificate) with the SAME Apple ID (Renew, not Create, or every Apple device must enroll again), then update expirationDateTime';
    if (left < 0) {
      const ago = Math.floor(-left / DAY_MS);
      emit({
        file: manifest,
        span,
        severity: 'error',
        message: `the Apple MDM push certificate expired on ${String(raw)}${ago > 0 ? ` (${ago} day${ago === 1 ? '' : 's'} ago)` : ''}: Intune can no longer reach enrolled iPhones, iPads and Macs; ${renew}`,
        data: { expirationDateTime: raw, expired: true },
      });
      return;
    }
    const days = Math.floor(left / DAY_MS);
    emit({
      file: manifest,
      span,
      message: `the Apple MDM push certificate expires on ${String(raw)} (${days === 0 ? 'today' : `in ${days} day${days === 1 ? '' : 's'}`}); when it lapses Intune can no longer reach enrolled Apple devices. ${renew[0]!.toUpperCase()}${renew.slice(1)}`,
      data: { expirationDateTime: raw, expired: false },
    });
  },
};
