/**
 * Turns whatever a launch throws into a problem a clinician can act on. fhirclient reports
 * everything as plain Errors, so the kinds are recognised by message and by the URL's OAuth error.
 */

export type LaunchProblemKind =
  | 'missing-launch-parameters'
  | 'unknown-ehr'
  | 'not-registered'
  | 'config-unavailable'
  | 'discovery-failed'
  | 'pkce-unsupported'
  | 'authorization-denied'
  | 'authorization-failed'
  | 'state-invalid'
  | 'token-failed'
  | 'no-patient'
  | 'unexpected';

export interface LaunchProblem {
  readonly kind: LaunchProblemKind;
  readonly title: string;
  readonly message: string;
  /** What the clinician can do next. */
  readonly action: string;
}

const RELAUNCH = 'Close Curbside and open it again from the patient’s chart.';
const ADMIN = 'Ask your EHR administrator to check the Curbside registration.';

export function launchProblem(kind: LaunchProblemKind, detail?: string): LaunchProblem {
  switch (kind) {
    case 'missing-launch-parameters':
      return {
        kind,
        title: 'Open Curbside from the chart',
        message: 'Curbside was opened without the launch information an EHR provides (the iss and launch parameters).',
        action: 'Open a patient’s chart in your EHR and start Curbside from there.',
      };
    case 'unknown-ehr':
      return {
        kind,
        title: 'This EHR is not configured for Curbside',
        message: `Curbside refused to connect because the server that launched it${detail ? ` (${detail})` : ''} is not in its configuration. This protects the patient record from look-alike servers.`,
        action: ADMIN,
      };
    case 'not-registered':
      return {
        kind,
        title: 'Curbside is not registered with this EHR yet',
        message: `The configuration for ${detail ?? 'this EHR'} has no client id.`,
        action: ADMIN,
      };
    case 'config-unavailable':
      return { kind, title: 'Configuration unavailable', message: `Curbside could not read its configuration${detail ? `: ${detail}` : '.'}`, action: ADMIN };
    case 'discovery-failed':
      return {
        kind,
        title: 'The EHR’s sign-in service could not be reached',
        message: 'Curbside could not read the EHR’s SMART configuration (.well-known/smart-configuration or the CapabilityStatement).',
        action: 'Check the network connection and try again; if it persists, contact your EHR administrator.',
      };
    case 'pkce-unsupported':
      return {
        kind,
        title: 'The EHR does not support secure sign-in (PKCE)',
        message: 'Curbside requires PKCE with S256 and the EHR does not advertise it.',
        action: ADMIN,
      };
    case 'authorization-denied':
      return { kind, title: 'Access was not granted', message: 'The authorization request was declined, so Curbside cannot read this chart.', action: RELAUNCH };
    case 'authorization-failed':
      return { kind, title: 'The EHR refused the sign-in', message: detail ?? 'The EHR’s authorization server returned an error.', action: RELAUNCH };
    case 'state-invalid':
      return {
        kind,
        title: 'This launch has expired',
        message: 'The sign-in could not be matched to a launch from this window (the state is missing, altered or expired).',
        action: RELAUNCH,
      };
    case 'token-failed':
      return { kind, title: 'Sign-in could not be completed', message: detail ?? 'The EHR did not issue an access token.', action: RELAUNCH };
    case 'no-patient':
      return { kind, title: 'No patient in context', message: 'The EHR did not say which patient is open.', action: RELAUNCH };
    case 'unexpected':
    default:
      return { kind: 'unexpected', title: 'Curbside could not start', message: detail ?? 'An unexpected error stopped the launch.', action: RELAUNCH };
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Classifies an error thrown while starting authorization (discovery, config, redirect). */
export function classifyAuthorizeError(error: unknown): LaunchProblem {
  const message = messageOf(error);
  if (/code_challenge_methods_supported|PKCE/i.test(message)) return launchProblem('pkce-unsupported');
  if (/metadata|well-known|smart-configuration|Failed to fetch|NetworkError|conformance|authorization endpoint|authorizeUri|Load failed/i.test(message)) {
    return launchProblem('discovery-failed');
  }
  return launchProblem('unexpected', message);
}

/**
 * Classifies an error thrown while completing authorization on the redirect page, using the
 * redirect URL's own OAuth error parameters first.
 */
export function classifyReadyError(error: unknown, redirectParams: URLSearchParams): LaunchProblem {
  const oauthError = redirectParams.get('error');
  if (oauthError === 'access_denied') return launchProblem('authorization-denied');
  if (oauthError) return launchProblem('authorization-failed', redirectParams.get('error_description') ?? `The EHR answered "${oauthError}".`);
  const message = messageOf(error);
  if (/No 'state' parameter|No state found|state/i.test(message) && !/token/i.test(message)) return launchProblem('state-invalid');
  if (/invalid_grant|access token|token/i.test(message)) return launchProblem('token-failed', 'The EHR would not exchange the sign-in code for an access token.');
  return launchProblem('unexpected', message);
}
