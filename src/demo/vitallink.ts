import type { NewProduct } from '../core/entities.js';
import type { NewRecord } from '../app/use-cases/add-records.js';
import { DEFAULT_RISK_POLICY } from '../core/risk/policy.js';

/**
 * The built-in demo product: VitalLink remote patient monitoring (IEC 62304 class B). Its key risk is vital-sign
 * data intercepted or altered in transit, controlled by TLS 1.3 with certificate pinning, payload signatures and
 * device re-pairing.
 *
 * Deliberate gaps, left for gap analysis to find (each is a realistic slip, not noise):
 * - SRS-20 (threshold summary for second-person review) is verified by no test case;
 * - RC-12 (locale-driven units and plausibility check) is implemented by no requirement;
 * - HS-7 (unauthorised access to thresholds) is linked to no harm;
 * - UN-10 (every access can be accounted for) is validated by no validation activity;
 * - SRS-15 (missed-reading reminder) is implemented by no software item;
 * - SRS-3 was revised after approval (TLS 1.2+ → TLS 1.3 only), so its links are suspect until reviewed;
 * and, as a real team's file would: the items are not yet broken down into units (class B asks for it), and several
 * controls lack effectiveness evidence. (HAZ-6, the push outage, has its software cause through its situation: the
 * rules engine SWI-5 causes HS-6, as the risk file reads the chain.)
 *
 * The risk file (ISO 14971) has 12 risk estimates under the default 5 × 5 policy (RMP-1), with these open items:
 * - RISK-8 (unauthorised access) names no harm yet, and has a control but no residual estimate;
 * - RISK-9 (weight in pounds) waits for RC-12, which no requirement implements and no test verifies;
 * - RC-9 (console alert list and SMS escalation) is not verified: its test TC-13 fails in the 1.2.0 run;
 * - a complaint (PPI-1) about a stale reading came in after the last review and flags RISK-5 and RISK-12;
 * - the untriaged ws vulnerability from the OSV scan concerns HAZ-1 and flags RISK-1 and RISK-2 (seeded with evidence).
 * `dossier check` reports each with its clause.
 */
export const DEMO_PRODUCT: NewProduct = {
  key: 'RPM',
  name: 'VitalLink Remote Patient Monitoring',
  intendedUse:
    'VitalLink collects heart rate, SpO2, blood pressure and body weight from Bluetooth devices at a patient\'s home, ' +
    'sends them to the hospital\'s monitoring service, and alerts the care team when readings cross thresholds set by a ' +
    'clinician. Users: adult patients with chronic heart failure or hypertension at home; nurses and physicians in the ' +
    'hospital web console. Not for emergency use or continuous ICU monitoring; patients are told to call emergency services.',
  safetyClass: 'B',
};

/** A demo record: `ref` is the ID it gets (records are added in this order), `status` where it ends up. */
export interface DemoRecord extends NewRecord {
  readonly ref: string;
  readonly status: 'draft' | 'in_review' | 'approved';
}

const approved = 'approved' as const;
const rec = (ref: string, title: string, rest: Partial<Omit<DemoRecord, 'ref' | 'title' | 'type'>> = {}): DemoRecord => ({
  ref,
  type: ref.slice(0, ref.indexOf('-')),
  title,
  status: rest.status ?? approved,
  ...(rest.body === undefined ? {} : { body: rest.body }),
  ...(rest.fields === undefined ? {} : { fields: rest.fields }),
});
const srs = (ref: string, title: string, body: string, riskControl: boolean, category: string, status: DemoRecord['status'] = approved): DemoRecord =>
  rec(ref, title, { body, status, fields: { riskControl, category, priority: 'must' } });
const tc = (ref: string, title: string, level: 'unit' | 'integration' | 'system', steps: [string, string][], acceptanceCriteria: string, automationId?: string): DemoRecord =>
  rec(ref, title, {
    fields: {
      level,
      steps: steps.map(([action, expected]) => ({ action, expected })),
      acceptanceCriteria,
      automated: automationId !== undefined,
      ...(automationId === undefined ? {} : { automationId }),
    },
  });

export const DEMO_RECORDS: readonly DemoRecord[] = [
  // User needs
  rec('UN-1', 'Patients can take and send a reading in under a minute', { fields: { userGroup: 'patients', source: 'patient interviews 2024' } }),
  rec('UN-2', 'The care team sees new readings within 5 minutes', { fields: { userGroup: 'nurses', source: 'cardiology ward workshop' } }),
  rec('UN-3', 'The care team is alerted when a reading crosses the patient\'s threshold', { fields: { userGroup: 'nurses' } }),
  rec('UN-4', 'Patient readings stay private', { fields: { userGroup: 'patients', source: 'GDPR / HIPAA' } }),
  rec('UN-5', 'Readings are exact: no value is altered, lost or attributed to the wrong patient', { fields: { userGroup: 'physicians' } }),
  rec('UN-6', 'The app works with intermittent connectivity', { fields: { userGroup: 'patients' } }),
  rec('UN-7', 'Clinicians can set per-patient thresholds', { fields: { userGroup: 'physicians' } }),
  rec('UN-8', 'The hospital EHR receives readings without manual re-entry', { fields: { userGroup: 'hospital IT' } }),
  rec('UN-9', 'Patients are reminded of missed readings', { fields: { userGroup: 'patients' } }),
  rec('UN-10', 'Every access to patient data can be accounted for', { fields: { userGroup: 'data protection officer' } }),

  // System requirements
  rec('SYS-1', 'A reading reaches the clinician console within 5 minutes at the 95th percentile', { fields: { category: 'performance', priority: 'must' } }),
  rec('SYS-2', 'The app acquires heart rate, SpO2, blood pressure and weight from paired Bluetooth LE devices', { fields: { category: 'interface', priority: 'must' } }),
  rec('SYS-3', 'An alert is raised within 1 minute of receiving a reading that crosses a threshold', { fields: { category: 'functional', priority: 'must' } }),
  rec('SYS-4', 'All data in transit between app, cloud and hospital is encrypted and integrity-protected', {
    body: 'Covers the mobile network and public Wi-Fi path from the app to the ingestion API, and the hospital link.',
    fields: { category: 'security', priority: 'must', rationale: 'Data-in-transit threat HAZ-1; IEC 62304 5.2.2 security requirements.' },
  }),
  rec('SYS-5', 'Each reading is bound to exactly one patient from pairing to the EHR', { fields: { category: 'data', priority: 'must' } }),
  rec('SYS-6', 'The app keeps readings until the cloud acknowledges them', { fields: { category: 'functional', priority: 'must' } }),
  rec('SYS-7', 'Clinicians set thresholds per patient and parameter, with units fixed per parameter', { fields: { category: 'functional', priority: 'must' } }),
  rec('SYS-8', 'Readings are sent to the hospital EHR as HL7 FHIR R4 Observation resources', { fields: { category: 'interface', priority: 'must' } }),
  rec('SYS-9', 'The app reminds the patient when a scheduled reading is missed', { fields: { category: 'functional', priority: 'should' } }),
  rec('SYS-10', 'Every access to and change of patient data is recorded in an audit log', { fields: { category: 'security', priority: 'must' } }),
  rec('SYS-11', 'Clinician accounts use multi-factor authentication and idle sessions end', { fields: { category: 'security', priority: 'must' } }),
  rec('SYS-12', 'The console shows the age of every reading and marks readings older than 24 hours as stale', { fields: { category: 'usability', priority: 'must' } }),
  rec('SYS-13', 'The patient\'s phone provides Bluetooth LE and lets the app receive readings in the background', {
    body: 'Supported phones: iOS 16 or later, Android 12 or later, as listed in the instructions for use.',
    fields: {
      category: 'interface',
      priority: 'must',
      allocation: 'other_system',
      allocationReason:
        'Met by the patient\'s phone and its operating system, not by VitalLink: the Bluetooth LE radio and background Bluetooth ' +
        'access come with the supported phones. The app only asks for the permission. Checked on the device lab\'s reference phones (TC-22).',
    },
  }),

  // Software requirements
  srs('SRS-1', 'Pairing binds a device to the signed-in patient after on-screen confirmation', 'The confirmation screen shows the patient\'s full name and date of birth; pairing is refused without confirmation.', true, 'functional'),
  srs('SRS-2', 'Every reading screen shows the patient\'s full name', 'Applies to the reading, history and upload-status screens.', true, 'usability'),
  srs('SRS-3', 'The upload client uses TLS 1.3 only', 'Revision 2 (after the 2025 penetration test): TLS 1.2 and older are refused; cipher suites per the security architecture.', true, 'security'),
  srs('SRS-4', 'The upload client pins the ingestion API\'s public key', 'A certificate whose public key does not match a pinned key ends the connection and the reading stays queued. Two pins (current and next) allow rotation.', true, 'security'),
  srs('SRS-5', 'Each reading payload is signed with the device key and verified by ingestion', 'Ed25519 signature over the canonical payload; ingestion refuses a reading whose signature does not verify.', true, 'security'),
  srs('SRS-6', 'On a signature or key mismatch the app requires the device to be paired again', '', true, 'security'),
  srs('SRS-7', 'The upload queue keeps readings in encrypted on-device storage until acknowledged', 'Readings survive the app being killed and the phone restarting.', true, 'functional'),
  srs('SRS-8', 'The app shows "not delivered" for readings unacknowledged after 15 minutes', '', true, 'usability'),
  srs('SRS-9', 'The rules engine checks each reading against the patient\'s thresholds and raises an alert within 60 s', '', false, 'functional'),
  srs('SRS-10', 'The console lists open alerts whether or not push notifications were delivered', '', true, 'functional'),
  srs('SRS-11', 'An alert not acknowledged within 15 minutes is escalated by SMS to the on-call nurse', '', true, 'functional'),
  srs('SRS-12', 'Threshold entry uses fixed units per parameter and refuses values outside the plausible range', 'Blood pressure in mmHg only; heart rate 20–250 bpm; SpO2 50–100 %; weight 20–300 kg.', true, 'usability'),
  srs('SRS-13', 'The console shows each reading\'s time and an age badge, and marks it stale after 24 hours', '', true, 'usability'),
  srs('SRS-14', 'The FHIR interface maps readings to Observation resources with LOINC codes and the patient reference', '', false, 'interface'),
  srs('SRS-15', 'The app sends a reminder 30 minutes after a missed scheduled reading', '', false, 'functional'),
  srs('SRS-16', 'Clinician sign-in requires a TOTP second factor; sessions end after 15 minutes idle', '', true, 'security'),
  srs('SRS-17', 'Every threshold change is audited with clinician, time, old and new value', '', true, 'security'),
  srs('SRS-18', 'Weight entry follows the device locale and asks for confirmation of a change above 5 kg in a day', '', false, 'usability', 'in_review'),
  srs('SRS-19', 'The ingestion API authenticates every device with a mutual-TLS client certificate', '', false, 'security'),
  srs('SRS-20', 'The console shows a patient\'s threshold summary for a second clinician to review before it takes effect', '', true, 'usability', 'draft'),

  // Software items (IEC 62304 5.3)
  rec('SWI-1', 'VitalLink software system', { fields: { level: 'system', safetyClass: 'B' } }),
  rec('SWI-2', 'Mobile app: device pairing, readings and patient alerts', { fields: { level: 'item', safetyClass: 'B', location: 'apps/mobile/src/readings' } }),
  rec('SWI-3', 'Mobile app: upload queue and offline store', { fields: { level: 'item', safetyClass: 'B', location: 'apps/mobile/src/upload' } }),
  rec('SWI-4', 'Ingestion API', { fields: { level: 'item', safetyClass: 'B', location: 'services/ingestion' } }),
  rec('SWI-5', 'Rules engine', { fields: { level: 'item', safetyClass: 'B', location: 'services/rules' } }),
  rec('SWI-6', 'Clinician web console', { fields: { level: 'item', safetyClass: 'B', location: 'apps/console' } }),
  rec('SWI-7', 'HL7 FHIR interface', { fields: { level: 'item', safetyClass: 'B', location: 'services/fhir' } }),
  rec('SWI-8', 'Identity and audit service', { fields: { level: 'item', safetyClass: 'B', location: 'services/identity' } }),

  // Test cases
  tc('TC-1', 'Threshold evaluation at and around the boundaries', 'unit', [['Evaluate readings at threshold −1, =, +1', 'Alert only above the threshold']], 'All boundary cases pass', 'rules/threshold.test.ts'),
  tc('TC-2', 'Threshold entry refuses out-of-range values and other units', 'unit', [['Enter SpO2 120 %', 'Refused with message'], ['Enter BP in kPa', 'Unit not offered']], 'All refusals shown', 'console/threshold-form.test.tsx'),
  tc('TC-3', 'Weight plausibility check asks to confirm a jump above 5 kg', 'unit', [['Enter 82 kg after 76 kg the day before', 'Confirmation asked']], 'Confirmation shown', 'mobile/weight.test.ts'),
  tc('TC-4', 'A TLS 1.2 handshake from the upload client is refused', 'integration', [['Offer TLS 1.2 only from a test server', 'Client ends the handshake']], 'No data sent over TLS 1.2', 'mobile/tls-version.int.test.ts'),
  tc('TC-5', 'A forged certificate is refused by certificate pinning', 'integration', [['Intercept with a proxy holding a CA-signed forged certificate', 'Connection closed, reading stays queued']], 'No reading leaves the device', 'mobile/pinning.int.test.ts'),
  tc('TC-6', 'Ingestion refuses a reading whose payload signature does not verify', 'integration', [['Flip one bit of a signed payload', 'HTTP 422, nothing stored']], 'Tampered reading never stored', 'ingestion/signature.int.test.ts'),
  tc('TC-7', 'A device key mismatch makes the app require pairing again', 'integration', [['Rotate the server-side device key', 'App shows the re-pairing screen']], 'Uploads stop until re-paired', 'mobile/repair.int.test.ts'),
  tc('TC-8', 'Queued readings survive the app being killed and the phone restarting', 'system', [['Queue 3 readings offline, kill app, restart phone, reconnect', 'All 3 delivered once']], 'No reading lost or duplicated'),
  tc('TC-9', '"Not delivered" appears after 15 minutes offline', 'system', [['Take a reading in flight mode, wait 15 min', 'Indicator shown']], 'Indicator within 15–16 min'),
  tc('TC-10', 'End-to-end delivery time under 5 minutes at the 95th percentile', 'system', [['Send 500 readings over a throttled 3G profile', 'p95 latency measured']], 'p95 < 5 min'),
  tc('TC-11', 'An alert is created within 60 s of a threshold-crossing reading', 'integration', [['Post a reading above threshold', 'Alert row within 60 s']], 'All alerts within 60 s', 'rules/alert-latency.int.test.ts'),
  tc('TC-12', 'The console alert list shows alerts with push notifications switched off', 'system', [['Disable push service, post alerting reading', 'Alert listed in console']], 'Alert visible within 60 s'),
  tc('TC-13', 'An unacknowledged alert is escalated by SMS after 15 minutes', 'integration', [['Leave alert unacknowledged', 'SMS gateway receives message']], 'SMS sent at 15 min ± 30 s', 'rules/escalation.int.test.ts'),
  tc('TC-14', 'A reading older than 24 hours is marked stale on the console', 'system', [['Show a reading timestamped 25 h ago', 'Stale badge shown']], 'Badge present, value greyed'),
  tc('TC-15', 'FHIR Observations validate against the R4 vital-signs profile', 'integration', [['Map one reading of each kind', 'Validator reports no error']], 'Zero validation errors', 'fhir/observation.int.test.ts'),
  tc('TC-16', 'The missed-reading reminder arrives 30 minutes after the scheduled time', 'system', [['Skip a scheduled reading', 'Reminder at +30 min']], 'Reminder within ±2 min'),
  tc('TC-17', 'Sign-in without a second factor is refused; idle sessions end after 15 minutes', 'integration', [['Sign in with password only', 'Refused'], ['Stay idle 15 min', 'Session ended']], 'Both refused/ended', 'identity/mfa.int.test.ts'),
  tc('TC-18', 'A threshold change is audited with old and new value', 'integration', [['Change a threshold', 'Audit entry with clinician, old, new']], 'Entry complete', 'identity/threshold-audit.int.test.ts'),
  tc('TC-19', 'Pairing needs the patient to confirm their identity', 'system', [['Pair a device and decline confirmation', 'Device not paired']], 'No unconfirmed pairing'),
  tc('TC-20', 'Every reading screen shows the patient\'s full name', 'system', [['Open reading, history and upload screens', 'Name on each']], 'Name on all three screens'),
  tc('TC-21', 'A device without a client certificate is refused by ingestion', 'integration', [['Connect without a client certificate', 'TLS handshake fails']], 'No request reaches the API', 'ingestion/mtls.int.test.ts'),
  tc('TC-22', 'Readings are acquired from each supported Bluetooth device type', 'system', [['Pair and read each of the 4 reference devices', 'Values match device display']], 'All 4 device types'),
  tc('TC-23', 'A packet capture between app and cloud shows only TLS 1.3', 'system', [['Capture a session on a test network', 'Only TLS 1.3 records, no plaintext']], 'No plaintext vital signs'),
  tc('TC-24', 'Every console access to patient data appears in the audit log', 'system', [['Open 5 patient records', '5 audit entries']], 'One entry per access'),
  tc('TC-25', 'Thresholds can be set per patient and parameter', 'system', [['Set different SpO2 thresholds for two patients', 'Each patient alerts on own threshold']], 'Per-patient behaviour'),

  // Validation
  rec('VAL-1', 'Summative usability test of the mobile app', { fields: { method: 'usability_test', participants: '15 patients with heart failure or hypertension, aged 54–83', acceptanceCriteria: 'No use error on critical tasks' } }),
  rec('VAL-2', 'Clinical user acceptance with the cardiology care team', { fields: { method: 'user_acceptance', participants: '6 nurses and 3 physicians', acceptanceCriteria: 'All critical scenarios completed' } }),
  rec('VAL-3', 'Penetration test of app, ingestion API and console', { body: 'External test, 2025. One finding (certificate pinning missing) raised as a CAPA and fixed in 1.2.0.', fields: { method: 'penetration_test', participants: 'accredited external testers' } }),

  // Hazards (ISO 14971 5.4)
  rec('HAZ-1', 'Vital-sign data intercepted or altered in transit', { body: 'Man-in-the-middle on public Wi-Fi or a compromised network between app and ingestion API.', fields: { category: 'security' } }),
  rec('HAZ-2', 'Reading assigned to the wrong patient', { body: 'Pairing mix-up, e.g. a shared household device.', fields: { category: 'data_integrity' } }),
  rec('HAZ-3', 'Upload queue loses readings when the app is killed', { fields: { category: 'technical' } }),
  rec('HAZ-4', 'Stale reading shown as current on the console', { fields: { category: 'data_integrity' } }),
  rec('HAZ-5', 'Alert threshold mis-set (unit confusion mmHg / kPa)', { fields: { category: 'usability' } }),
  rec('HAZ-6', 'Alert not delivered (push service outage)', { fields: { category: 'technical' } }),
  rec('HAZ-7', 'Credential theft of a clinician account', { fields: { category: 'security' } }),
  rec('HAZ-8', 'Patient misreads or enters the wrong unit', { fields: { category: 'usability' } }),

  // Hazardous situations
  rec('HS-1', 'Clinician acts on an altered reading, or a true alarm is suppressed', { fields: { sequenceOfEvents: 'Attacker on the network path alters or drops the payload; the altered value passes as genuine.' } }),
  rec('HS-2', 'Clinician adjusts therapy on another patient\'s data', { fields: { sequenceOfEvents: 'Device paired to the wrong patient; readings attributed to them.' } }),
  rec('HS-3', 'Deterioration not seen because readings were lost', { fields: { sequenceOfEvents: 'App killed while readings queued; queue not durable.' } }),
  rec('HS-4', 'Clinician believes the patient is stable from an old reading', { fields: { sequenceOfEvents: 'No new readings arrive; the console shows the last value without its age.' } }),
  rec('HS-5', 'Alert never fires for a deteriorating patient', { fields: { sequenceOfEvents: 'Threshold entered in the wrong unit, far above the intended value.' } }),
  rec('HS-6', 'Care team unaware of an alert', { fields: { sequenceOfEvents: 'Push provider outage; no other channel.' } }),
  rec('HS-7', 'Unauthorised person reads records or changes thresholds', { fields: { sequenceOfEvents: 'Phished clinician password reused; no second factor.' } }),
  rec('HS-8', 'Weight entered in pounds is read as kilograms', { fields: { sequenceOfEvents: 'Patient enters weight from a scale set to lb.' } }),

  // Harms
  rec('HARM-1', 'Delayed treatment of cardiac decompensation', { fields: { severity: 'S3' } }),
  rec('HARM-2', 'Breach of patient privacy', { fields: { severity: 'S2' } }),
  rec('HARM-3', 'Wrong medication dose', { fields: { severity: 'S3' } }),
  rec('HARM-4', 'Wrong assessment of fluid status', { fields: { severity: 'S2' } }),

  // Risk controls (ISO 14971 7.1 options)
  rec('RC-1', 'TLS 1.3 with certificate pinning between app and ingestion API', { fields: { option: 'inherent_safety_by_design' } }),
  rec('RC-2', 'End-to-end payload signature checked by ingestion', { fields: { option: 'protective_measure' } }),
  rec('RC-3', 'Device re-pairing on key mismatch', { fields: { option: 'protective_measure' } }),
  rec('RC-4', 'Pairing bound to patient identity with confirmation', { fields: { option: 'inherent_safety_by_design' } }),
  rec('RC-5', 'Patient name shown on every reading screen', { fields: { option: 'information_for_safety' } }),
  rec('RC-6', 'Durable on-device queue with server acknowledgement', { fields: { option: 'inherent_safety_by_design' } }),
  rec('RC-7', '"Not delivered" indicator on the phone', { fields: { option: 'protective_measure' } }),
  rec('RC-8', 'Fixed units and range-checked threshold entry, with second-person review', { fields: { option: 'inherent_safety_by_design' } }),
  rec('RC-9', 'Console alert list independent of push, with SMS escalation after 15 minutes', { fields: { option: 'protective_measure' } }),
  rec('RC-10', 'Timestamp and age badge on every value; stale after 24 hours', { fields: { option: 'protective_measure' } }),
  rec('RC-11', 'MFA for clinicians, idle timeout and audit of threshold changes', { fields: { option: 'protective_measure' } }),
  rec('RC-12', 'Locale-driven units and plausibility check for weight entry', { status: 'draft', fields: { option: 'inherent_safety_by_design' } }),

  // SOUP (IEC 62304 8.1.2)
  rec('SOUP-1', 'React Native runtime', { fields: { package: 'react-native', version: '0.74.3', supplier: 'Meta Platforms', licence: 'MIT', purl: 'pkg:npm/react-native@0.74.3', functionalRequirements: 'Renders the patient app UI and runs its JavaScript on iOS and Android.', performanceRequirements: 'UI responds within 100 ms to a tap on reference phones; cold start under 3 s.', anomalyReview: 'Reviewed the 0.74 release notes and open issues labelled crash/regression on 2026-03-02: none touches networking or storage paths we use.', riskAssessment: 'A crash loses an unsent reading only if the queue is not durable: controlled by RC-6 (durable queue). No direct path to a wrong reading.' } }),
  rec('SOUP-2', 'Bluetooth LE library', { fields: { package: 'react-native-ble-plx', version: '3.2.0', supplier: 'dotintent', licence: 'Apache-2.0', purl: 'pkg:npm/react-native-ble-plx@3.2.0', functionalRequirements: 'Scans, pairs and reads GATT characteristics from the four reference devices.', performanceRequirements: 'Reading delivered to the app within 2 s of the device sending it.', anomalyReview: 'Reviewed the 3.2.0 issue tracker on 2026-03-02: two Android reconnection bugs, worked around by re-scan (SRS-1 tests cover pairing).', riskAssessment: 'A wrong characteristic parse could attribute a value to the wrong patient: controlled by RC-4 (pairing bound to identity) and RC-5.' } }),
  rec('SOUP-3', 'OpenSSL', { fields: { package: 'openssl', version: '3.0.13', supplier: 'OpenSSL Software Foundation', licence: 'Apache-2.0', purl: 'pkg:generic/openssl@3.0.13', anomalyList: 'https://openssl-library.org/news/vulnerabilities/', functionalRequirements: 'TLS 1.3 for the upload client and ingestion API; certificate validation; payload signature primitives.', performanceRequirements: 'Handshake under 300 ms on 3G; 1,000 signature checks/s per ingestion node.', anomalyReview: 'Reviewed the OpenSSL vulnerability list for 3.0.13 on 2026-03-02: no issue in TLS 1.3 client/server paths we use; re-checked at every release.', riskAssessment: 'A flaw could let data be read or altered in transit (HAZ-1): controlled by RC-1, RC-2, RC-3 in depth.' } }),
  rec('SOUP-4', 'PostgreSQL database server', { fields: { package: 'postgresql', version: '16.3', supplier: 'PostgreSQL Global Development Group', licence: 'PostgreSQL', purl: 'pkg:generic/postgresql@16.3', functionalRequirements: 'Stores readings, thresholds, alerts and the audit log with transactions.', performanceRequirements: 'Insert of a reading under 20 ms at p95 at 200 readings/s.', anomalyReview: 'Reviewed the PostgreSQL 16.3 release notes and security page on 2026-03-02: no open issue affecting our use.', riskAssessment: 'Lost writes could hide a reading: controlled by acknowledgement only after commit (RC-6).' } }),
  rec('SOUP-5', 'HAPI FHIR client', { fields: { package: 'ca.uhn.hapi.fhir:hapi-fhir-client', version: '7.2.0', supplier: 'University Health Network', licence: 'Apache-2.0', purl: 'pkg:maven/ca.uhn.hapi.fhir/hapi-fhir-client@7.2.0', functionalRequirements: 'Builds and sends FHIR R4 Observation resources to the hospital EHR.', performanceRequirements: 'A batch of 100 Observations sent within 10 s.', anomalyReview: 'Reviewed HAPI FHIR 7.2.0 changelog and issues on 2026-03-02: none affects Observation mapping.', riskAssessment: 'A mapping fault could show a wrong value in the EHR: verified by TC-15 against the vital-signs profile.' } }),

  // Anomalies
  rec('ANOM-1', 'Missed-reading reminder sometimes arrives late on one Android vendor', {
    body: 'Aggressive battery optimisation delays scheduled notifications by up to 40 minutes. No safety impact: reminders are a convenience and not a risk control. Accepted as a known residual anomaly for 1.2.0.',
    fields: { kind: 'defect', criticality: 'low', foundIn: '1.2.0-rc.2', residual: true },
  }),

  // Risk file (ISO 14971): the policy, threats, sequences of events, estimates, benefit-risk, overall evaluation
  rec('RMP-1', 'VitalLink risk acceptability policy', {
    body: 'Acceptability criteria of the risk management plan (DOC-2): 5 severity levels, 5 probability bands per use, a 5-level exploitability scale for security causes, reviewed yearly and at every release.',
    fields: {
      ...DEFAULT_RISK_POLICY,
      overallCriteria:
        'The overall residual risk is acceptable when no individual residual risk is unacceptable, every residual risk in the ' +
        '"reduce as far as possible" zone has a benefit-risk analysis, and the medical benefit of remote monitoring outweighs the ' +
        'combined residual risks, as judged by the clinical lead and the risk manager.',
    },
  }),
  rec('THREAT-1', 'Man-in-the-middle on the upload path', {
    body: 'Threat model STRIDE T/I on the app → ingestion API data flow (security architecture, section 3).',
    fields: {
      asset: 'Vital-sign readings and device identity in transit between the app and the ingestion API',
      threat: 'An attacker on the same public Wi-Fi, or on a compromised network, intercepts and rewrites HTTPS traffic',
      vulnerability: 'A client that trusts any CA-signed certificate or accepts a protocol downgrade lets a rogue certificate through',
      attackVector: 'adjacent_network',
      cvss: 'CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:L',
    },
  }),
  rec('THREAT-2', 'Phishing of a clinician account', {
    fields: {
      asset: 'Console sessions, alert thresholds and patient records',
      threat: 'Credential phishing or a password reused from another breached service',
      vulnerability: 'Password-only sign-in to the web console',
      attackVector: 'network',
      cvss: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
    },
  }),
  rec('SEQ-1', 'Payload altered on the network path and accepted as genuine', { body: 'The attacker presents a rogue certificate, the client accepts it, the payload is rewritten (a value lowered, an alarm-level reading dropped) and ingestion stores it.', fields: { cause: 'security_threat' } }),
  rec('SEQ-2', 'Patient reads weight from a scale set to pounds and enters it as kilograms', { fields: { cause: 'use_error' } }),
  rec('SEQ-3', 'Attacker signs in with stolen credentials and changes thresholds', { fields: { cause: 'security_threat' } }),
  rec('RISK-1', 'Altered reading delays treatment of decompensation', {
    body: 'Security risk of THREAT-1. Exploitability stands in for probability (policy: E scale).',
    fields: { severity: 'S3', exploitability: 'E4', residualSeverity: 'S3', residualExploitability: 'E1', cvss: 'CVSS:3.1/AV:A/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:L', rationale: 'Before controls a rogue certificate on public Wi-Fi is easy to use. With TLS 1.3 only, key pinning and signed payloads an attacker needs the device key as well: very hard.' },
  }),
  rec('RISK-2', 'Intercepted readings breach patient privacy', {
    fields: { severity: 'S2', exploitability: 'E4', residualSeverity: 'S2', residualExploitability: 'E1', rationale: 'Confidentiality side of THREAT-1; the same controls apply.' },
  }),
  rec('RISK-3', 'Another patient\'s data leads to a wrong medication dose', {
    fields: { severity: 'S4', probability: 'P3', residualSeverity: 'S4', residualProbability: 'P1', rationale: 'Shared household devices make mix-ups occasional. Identity-bound pairing and the name on every screen make them improbable, but the severity stays.' },
  }),
  rec('RISK-4', 'Readings lost when the app is killed delay treatment', {
    fields: { severity: 'S3', probability: 'P4', residualSeverity: 'S3', residualProbability: 'P1', rationale: 'Field data from 1.0: 0.4 % of readings lost before the durable queue.' },
  }),
  rec('RISK-5', 'A stale reading shown as current delays treatment', {
    fields: { severity: 'S3', probability: 'P3', residualSeverity: 'S3', residualProbability: 'P1' },
  }),
  rec('RISK-6', 'A threshold in the wrong unit suppresses an alert', {
    fields: { severity: 'S3', probability: 'P3', residualSeverity: 'S3', residualProbability: 'P1', rationale: 'Usability study (VAL-2) showed unit confusion in 2 of 15 sessions before fixed units.' },
  }),
  rec('RISK-7', 'An undelivered alert delays treatment', {
    fields: { severity: 'S3', probability: 'P4', residualSeverity: 'S3', residualProbability: 'P2', rationale: 'Push outages are outside our control; the console list and SMS escalation shorten, but cannot remove, the delay.' },
  }),
  rec('RISK-8', 'Unauthorised person reads records or changes thresholds', {
    body: 'The harm is still being analysed with the clinical lead: changed thresholds could suppress alerts (HARM-1) or only expose data (HARM-2).',
    fields: { severity: 'S3', exploitability: 'E3', rationale: 'Phishing of clinicians is common; the console is reachable from the internet.' },
  }),
  rec('RISK-9', 'Weight in pounds read as kilograms misjudges fluid status', {
    fields: { severity: 'S2', probability: 'P4', rationale: 'Residual estimate waits for RC-12 (locale-driven units).' },
  }),
  rec('RISK-10', 'Another patient\'s data misjudges fluid status', {
    fields: { severity: 'S3', probability: 'P3', residualSeverity: 'S3', residualProbability: 'P1' },
  }),
  rec('RISK-11', 'Lost readings misjudge fluid status', {
    fields: { severity: 'S2', probability: 'P4', residualSeverity: 'S2', residualProbability: 'P2' },
  }),
  rec('RISK-12', 'A stale reading leads to a wrong medication dose', {
    fields: { severity: 'S4', probability: 'P2', residualSeverity: 'S4', residualProbability: 'P1', rationale: 'Dose changes are made on trends, rarely on one value; the age badge makes acting on an old value improbable.' },
  }),
  rec('BRA-1', 'Remote monitoring outweighs the residual risks of mix-ups and delayed alerts', {
    body: 'Clinical evaluation (CER section 6): remote monitoring of heart-failure patients reduces hospitalisations; the residual risks of RISK-3, RISK-7 and RISK-12 are remote or improbable and disclosed in the IFU.',
    fields: { benefits: 'Earlier detection of decompensation and fewer hospital admissions for patients with chronic heart failure, compared with clinic visits alone.', conclusion: 'benefits_outweigh_risks' },
  }),
  rec('ORR-1', 'Overall residual risk evaluation for 1.2.0', {
    status: 'in_review',
    body: 'All residual risks are acceptable or justified by BRA-1; the combination does not add a new hazardous situation. To be approved once the open items of the risk file are closed.',
    fields: {
      release: '1.2.0',
      acceptable: true,
      disclosures: [
        'VitalLink is not an emergency service: readings and alerts can be delayed by network or push-service outages.',
        'The console shows the age of every reading; a reading older than 24 hours is marked stale.',
        'Patients must confirm their name when pairing a device and check it on every reading screen.',
      ],
    },
  }),
  rec('PPI-1', 'Complaint: console showed a 3-hour-old weight as the current one', {
    body: 'Heart-failure nurse reported that after a phone update no new weights arrived, and the console listed the last value without her noticing its age.',
    fields: { kind: 'complaint', receivedOn: '2026-11-02', source: 'Heart failure clinic, St. Mary\'s Hospital' },
  }),
  rec('RREV-1', 'Risk review before release 1.2.0', {
    body: 'Reviewed every risk after the penetration test (VAL-3) and the certificate-pinning change; RISK-1 residual exploitability lowered to E1.',
    fields: { reviewer: 'quinn.qa', reviewedOn: '2026-10-15', outcome: 'risk_file_updated' },
  }),

  // Documents
  rec('DOC-1', 'Software development plan', { fields: { docType: 'plan', location: 'docs/plans/sdp.md' } }),
  rec('DOC-2', 'Risk management plan', { fields: { docType: 'plan', location: 'docs/plans/rmp.md' } }),
  rec('DOC-3', 'Instructions for use', { fields: { docType: 'labeling', location: 'docs/labeling/ifu.md' } }),
];

/** Links, read as sentences: `[from, type, to]`. */
export const DEMO_LINKS: readonly (readonly [string, string, string])[] = [
  // System requirements derive from user needs
  ['SYS-1', 'derives_from', 'UN-2'], ['SYS-2', 'derives_from', 'UN-1'], ['SYS-3', 'derives_from', 'UN-3'],
  ['SYS-4', 'derives_from', 'UN-4'], ['SYS-4', 'derives_from', 'UN-5'], ['SYS-5', 'derives_from', 'UN-5'],
  ['SYS-6', 'derives_from', 'UN-6'], ['SYS-7', 'derives_from', 'UN-7'], ['SYS-8', 'derives_from', 'UN-8'],
  ['SYS-9', 'derives_from', 'UN-9'], ['SYS-10', 'derives_from', 'UN-10'], ['SYS-11', 'derives_from', 'UN-4'],
  ['SYS-12', 'derives_from', 'UN-2'], ['SYS-12', 'derives_from', 'UN-5'],
  // Software requirements derive from system requirements
  ['SRS-1', 'derives_from', 'SYS-5'], ['SRS-2', 'derives_from', 'SYS-5'], ['SRS-3', 'derives_from', 'SYS-4'],
  ['SRS-4', 'derives_from', 'SYS-4'], ['SRS-5', 'derives_from', 'SYS-4'], ['SRS-6', 'derives_from', 'SYS-4'],
  ['SRS-7', 'derives_from', 'SYS-6'], ['SRS-8', 'derives_from', 'SYS-6'], ['SRS-9', 'derives_from', 'SYS-3'],
  ['SRS-10', 'derives_from', 'SYS-3'], ['SRS-11', 'derives_from', 'SYS-3'], ['SRS-12', 'derives_from', 'SYS-7'],
  ['SRS-13', 'derives_from', 'SYS-12'], ['SRS-14', 'derives_from', 'SYS-8'], ['SRS-15', 'derives_from', 'SYS-9'],
  ['SRS-16', 'derives_from', 'SYS-11'], ['SRS-17', 'derives_from', 'SYS-10'], ['SRS-18', 'derives_from', 'SYS-2'],
  ['SRS-19', 'derives_from', 'SYS-4'], ['SRS-20', 'derives_from', 'SYS-7'], ['SRS-9', 'derives_from', 'SYS-1'],
  // Architecture
  ['SWI-2', 'part_of', 'SWI-1'], ['SWI-3', 'part_of', 'SWI-1'], ['SWI-4', 'part_of', 'SWI-1'], ['SWI-5', 'part_of', 'SWI-1'],
  ['SWI-6', 'part_of', 'SWI-1'], ['SWI-7', 'part_of', 'SWI-1'], ['SWI-8', 'part_of', 'SWI-1'],
  ['SWI-2', 'implements', 'SRS-1'], ['SWI-2', 'implements', 'SRS-2'], ['SWI-2', 'implements', 'SRS-18'],
  ['SWI-3', 'implements', 'SRS-3'], ['SWI-3', 'implements', 'SRS-4'], ['SWI-3', 'implements', 'SRS-5'],
  ['SWI-3', 'implements', 'SRS-6'], ['SWI-3', 'implements', 'SRS-7'], ['SWI-3', 'implements', 'SRS-8'],
  ['SWI-4', 'implements', 'SRS-5'], ['SWI-4', 'implements', 'SRS-19'], ['SWI-5', 'implements', 'SRS-9'],
  ['SWI-5', 'implements', 'SRS-11'], ['SWI-6', 'implements', 'SRS-10'], ['SWI-6', 'implements', 'SRS-12'],
  ['SWI-6', 'implements', 'SRS-13'], ['SWI-6', 'implements', 'SRS-20'], ['SWI-7', 'implements', 'SRS-14'],
  ['SWI-8', 'implements', 'SRS-16'], ['SWI-8', 'implements', 'SRS-17'],
  ['SWI-2', 'uses', 'SOUP-1'], ['SWI-2', 'uses', 'SOUP-2'], ['SWI-3', 'uses', 'SOUP-1'], ['SWI-4', 'uses', 'SOUP-3'],
  ['SWI-4', 'uses', 'SOUP-4'], ['SWI-7', 'uses', 'SOUP-5'],
  // Verification
  ['TC-1', 'verifies', 'SRS-9'], ['TC-2', 'verifies', 'SRS-12'], ['TC-3', 'verifies', 'SRS-18'], ['TC-4', 'verifies', 'SRS-3'],
  ['TC-5', 'verifies', 'SRS-4'], ['TC-6', 'verifies', 'SRS-5'], ['TC-7', 'verifies', 'SRS-6'], ['TC-8', 'verifies', 'SRS-7'],
  ['TC-9', 'verifies', 'SRS-8'], ['TC-10', 'verifies', 'SYS-1'], ['TC-11', 'verifies', 'SRS-9'], ['TC-12', 'verifies', 'SRS-10'],
  ['TC-13', 'verifies', 'SRS-11'], ['TC-14', 'verifies', 'SRS-13'], ['TC-15', 'verifies', 'SRS-14'], ['TC-16', 'verifies', 'SRS-15'],
  ['TC-17', 'verifies', 'SRS-16'], ['TC-18', 'verifies', 'SRS-17'], ['TC-19', 'verifies', 'SRS-1'], ['TC-20', 'verifies', 'SRS-2'],
  ['TC-21', 'verifies', 'SRS-19'], ['TC-22', 'verifies', 'SYS-2'], ['TC-23', 'verifies', 'SYS-4'], ['TC-24', 'verifies', 'SYS-10'],
  ['TC-25', 'verifies', 'SYS-7'], ['TC-8', 'verifies', 'SYS-6'], ['TC-11', 'verifies', 'SYS-3'], ['TC-15', 'verifies', 'SYS-8'],
  ['TC-16', 'verifies', 'SYS-9'], ['TC-17', 'verifies', 'SYS-11'], ['TC-19', 'verifies', 'SYS-5'], ['TC-14', 'verifies', 'SYS-12'],
  // Risk controls verified by tests (implementation, ISO 14971 7.2)
  ['TC-4', 'verifies', 'RC-1'], ['TC-5', 'verifies', 'RC-1'], ['TC-6', 'verifies', 'RC-2'], ['TC-7', 'verifies', 'RC-3'],
  ['TC-19', 'verifies', 'RC-4'], ['TC-20', 'verifies', 'RC-5'], ['TC-8', 'verifies', 'RC-6'], ['TC-9', 'verifies', 'RC-7'],
  ['TC-2', 'verifies', 'RC-8'], ['TC-12', 'verifies', 'RC-9'], ['TC-13', 'verifies', 'RC-9'], ['TC-14', 'verifies', 'RC-10'],
  ['TC-17', 'verifies', 'RC-11'], ['TC-18', 'verifies', 'RC-11'],
  // Validation of needs, and effectiveness of controls
  ['VAL-1', 'validates', 'UN-1'], ['VAL-1', 'validates', 'UN-6'], ['VAL-1', 'validates', 'UN-9'], ['VAL-1', 'validates', 'RC-5'],
  ['VAL-2', 'validates', 'UN-2'], ['VAL-2', 'validates', 'UN-3'], ['VAL-2', 'validates', 'UN-7'], ['VAL-2', 'validates', 'UN-8'],
  ['VAL-2', 'validates', 'UN-5'], ['VAL-2', 'validates', 'RC-8'], ['VAL-3', 'validates', 'UN-4'], ['VAL-3', 'validates', 'RC-1'],
  ['VAL-3', 'validates', 'RC-2'], ['VAL-3', 'validates', 'RC-11'],
  // Risk chains: hazard → (sequence of events →) hazardous situation → harm
  ['HAZ-1', 'leads_to', 'SEQ-1'], ['SEQ-1', 'leads_to', 'HS-1'], ['HAZ-1', 'leads_to', 'HS-7'], ['HAZ-2', 'leads_to', 'HS-2'],
  ['HAZ-3', 'leads_to', 'HS-3'], ['HAZ-4', 'leads_to', 'HS-4'], ['HAZ-5', 'leads_to', 'HS-5'], ['HAZ-6', 'leads_to', 'HS-6'],
  ['HAZ-7', 'leads_to', 'SEQ-3'], ['SEQ-3', 'leads_to', 'HS-7'], ['HAZ-8', 'leads_to', 'SEQ-2'], ['SEQ-2', 'leads_to', 'HS-8'],
  ['HS-1', 'results_in', 'HARM-1'], ['HS-1', 'results_in', 'HARM-2'], ['HS-2', 'results_in', 'HARM-3'], ['HS-3', 'results_in', 'HARM-1'],
  ['HS-4', 'results_in', 'HARM-1'], ['HS-5', 'results_in', 'HARM-1'], ['HS-6', 'results_in', 'HARM-1'], ['HS-8', 'results_in', 'HARM-4'],
  ['HS-2', 'results_in', 'HARM-4'], ['HS-3', 'results_in', 'HARM-4'], ['HS-4', 'results_in', 'HARM-3'],
  // Risk estimates: each assesses one situation and one harm (RISK-8's harm is still open)
  ['RISK-1', 'assesses', 'HS-1'], ['RISK-1', 'assesses', 'HARM-1'], ['RISK-2', 'assesses', 'HS-1'], ['RISK-2', 'assesses', 'HARM-2'],
  ['RISK-3', 'assesses', 'HS-2'], ['RISK-3', 'assesses', 'HARM-3'], ['RISK-4', 'assesses', 'HS-3'], ['RISK-4', 'assesses', 'HARM-1'],
  ['RISK-5', 'assesses', 'HS-4'], ['RISK-5', 'assesses', 'HARM-1'], ['RISK-6', 'assesses', 'HS-5'], ['RISK-6', 'assesses', 'HARM-1'],
  ['RISK-7', 'assesses', 'HS-6'], ['RISK-7', 'assesses', 'HARM-1'], ['RISK-8', 'assesses', 'HS-7'], ['RISK-9', 'assesses', 'HS-8'],
  ['RISK-9', 'assesses', 'HARM-4'], ['RISK-10', 'assesses', 'HS-2'], ['RISK-10', 'assesses', 'HARM-4'], ['RISK-11', 'assesses', 'HS-3'],
  ['RISK-11', 'assesses', 'HARM-4'], ['RISK-12', 'assesses', 'HS-4'], ['RISK-12', 'assesses', 'HARM-3'],
  ['BRA-1', 'justifies', 'RISK-3'], ['BRA-1', 'justifies', 'RISK-7'], ['BRA-1', 'justifies', 'RISK-12'],
  ['RREV-1', 'reviews', 'RISK-1'], ['RREV-1', 'reviews', 'RISK-2'], ['RREV-1', 'reviews', 'RISK-3'], ['RREV-1', 'reviews', 'RISK-4'],
  ['RREV-1', 'reviews', 'RISK-5'], ['RREV-1', 'reviews', 'RISK-6'], ['RREV-1', 'reviews', 'RISK-7'], ['RREV-1', 'reviews', 'RISK-8'],
  ['RREV-1', 'reviews', 'RISK-9'], ['RREV-1', 'reviews', 'RISK-10'], ['RREV-1', 'reviews', 'RISK-11'], ['RREV-1', 'reviews', 'RISK-12'],
  ['PPI-1', 'concerns', 'HAZ-4'],
  // Causes
  ['THREAT-1', 'causes', 'SEQ-1'], ['THREAT-2', 'causes', 'SEQ-3'],
  ['SWI-3', 'causes', 'HAZ-1'], ['SWI-4', 'causes', 'HAZ-1'], ['SOUP-3', 'causes', 'HAZ-1'], ['SWI-2', 'causes', 'HAZ-2'],
  ['SWI-3', 'causes', 'HAZ-3'], ['SWI-6', 'causes', 'HAZ-4'], ['SWI-6', 'causes', 'HAZ-5'], ['SWI-5', 'causes', 'HS-6'],
  ['SWI-8', 'causes', 'HAZ-7'], ['SWI-2', 'causes', 'HAZ-8'],
  // Controls mitigate situations, and requirements implement controls (IEC 62304 5.2.3)
  ['RC-1', 'mitigates', 'HS-1'], ['RC-2', 'mitigates', 'HS-1'], ['RC-3', 'mitigates', 'HS-1'], ['RC-4', 'mitigates', 'HS-2'],
  ['RC-5', 'mitigates', 'HS-2'], ['RC-6', 'mitigates', 'HS-3'], ['RC-7', 'mitigates', 'HS-3'], ['RC-8', 'mitigates', 'HS-5'],
  ['RC-9', 'mitigates', 'HS-6'], ['RC-10', 'mitigates', 'HS-4'], ['RC-11', 'mitigates', 'HS-7'], ['RC-12', 'mitigates', 'HS-8'],
  ['SRS-3', 'implements', 'RC-1'], ['SRS-4', 'implements', 'RC-1'], ['SRS-5', 'implements', 'RC-2'], ['SRS-6', 'implements', 'RC-3'],
  ['SRS-1', 'implements', 'RC-4'], ['SRS-2', 'implements', 'RC-5'], ['SRS-7', 'implements', 'RC-6'], ['SRS-8', 'implements', 'RC-7'],
  ['SRS-12', 'implements', 'RC-8'], ['SRS-20', 'implements', 'RC-8'], ['SRS-10', 'implements', 'RC-9'], ['SRS-11', 'implements', 'RC-9'],
  ['SRS-13', 'implements', 'RC-10'], ['SRS-16', 'implements', 'RC-11'], ['SRS-17', 'implements', 'RC-11'],
  // Problems and documents
  ['ANOM-1', 'affects', 'SWI-2'], ['ANOM-1', 'affects', 'SRS-15'],
  ['DOC-1', 'references', 'SWI-1'], ['DOC-2', 'references', 'HAZ-1'], ['DOC-3', 'references', 'RC-5'], ['DOC-3', 'references', 'HAZ-8'],
  ['DOC-2', 'references', 'RMP-1'],
  // A system requirement met by the phone rather than by VitalLink: allocated outside the software, still verified
  ['SYS-13', 'derives_from', 'UN-1'], ['TC-22', 'verifies', 'SYS-13'],
];

/** The record revised after approval: the penetration test tightened TLS (the 1.2.0 change). */
export const DEMO_REVISION = {
  record: 'SRS-3',
  firstTitle: 'The upload client uses TLS 1.2 or newer',
  firstBody: 'TLS 1.2 or 1.3 with forward-secret cipher suites.',
  reason: 'Penetration test finding (VAL-3): allow TLS 1.3 only',
} as const;
