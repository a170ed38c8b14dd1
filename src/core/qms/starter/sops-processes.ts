import type { StarterDocument } from './starter-document.js';

/** SOP-005 to SOP-009: CAPA, complaints and vigilance, nonconformance, suppliers, change control. */
export const PROCESS_SOPS: readonly StarterDocument[] = [
  {
    number: 'SOP-005',
    title: 'Corrective and preventive action (CAPA)',
    docType: 'procedure',
    clauses: ['ISO 13485 8.5.1', 'ISO 13485 8.5.2', 'ISO 13485 8.5.3', 'ISO 13485 8.4', '21 CFR 820.100'],
    governs: ['CAPA'],
    reviewIntervalMonths: 12,
    trainingDays: 14,
    purpose:
      'Find the real cause of a problem and remove it so the problem does not come back (corrective action), or remove the cause of a ' +
      'problem that has not happened yet (preventive action), and check that the action worked.',
    scope:
      'Problems from complaints, nonconformances, audit findings, trends, risk reviews, management review and suppliers. A simple bug ' +
      'fixed under problem resolution (SOP-013) needs no CAPA unless it shows a weakness in how we work or a safety risk.',
    responsibilities: [
      'Anyone: may open a CAPA.',
      'Quality manager: triages each new CAPA within 5 working days (accept or reject with a reason), tracks due dates, signs closure.',
      'CAPA owner (named at triage): leads the investigation, the actions and the effectiveness check.',
      'Managing director: provides resources; reviews CAPA status in management review.',
    ],
    procedure: [
      'Open a CAPA record with its source, a clear problem statement (what, where, when, how often, which product version) and links to where it came from (`addresses` a CMP, NC or AF).',
      'Triage: the quality manager sets the priority and an owner, or rejects it with a reason. Safety-related problems are high or critical.',
      'Containment: if users may be harmed now, act at once (a warning, a hotfix, switching a feature off) and write down what was done. Consider whether a report to the authorities is needed (SOP-006).',
      'Investigate the root cause with 5 whys or a fishbone. Record each "why" and the cause category (requirements, design, code, test, SOUP, process, training, supplier, use). Stop at a cause we can act on.',
      'Plan the actions: a correction (fix this case), a corrective action (remove the cause), a preventive action (stop the same cause elsewhere). Each action has an owner and a due date. A change to the product or a procedure goes through change control (SOP-009).',
      'Check the risk file: if the problem shows a new hazard or a wrong estimate, set risk review required; the risks it concerns are flagged until reviewed (`dossier risk review`).',
      'Implement the actions and record the evidence (a commit, a record ID, a document version). Verify the actions were done as planned.',
      'Plan the effectiveness check before closing: what will show the problem is gone (e.g. no repeat complaint in 3 months), and when. Record the result: effective or not effective. If not effective, go back to the investigation.',
      'Close the CAPA: send it to review and sign it (`dossier record status CAPA-n in_review --base N`, then `dossier record sign CAPA-n@N --meaning approved`). It cannot be closed without an effectiveness result.',
      'Target: close a CAPA within 90 days; a critical one within 30. Overdue CAPAs are reported in management review.',
    ],
    records: [
      'The CAPA record with investigation, actions and effectiveness check (form FRM-001): `dossier record add -t CAPA`.',
      'Moves between states: `dossier qms advance CAPA-n@N STATE`.',
      'Open and overdue CAPAs: `dossier qms list capa --overdue`.',
      'Closure signature: `dossier record sign`.',
    ],
    quiz: {
      questions: [
        {
          question: 'What must a CAPA have before it can be closed?',
          options: ['Only the corrective actions marked done', 'An effectiveness check with its result', 'A new software release'],
          answer: 1,
        },
        {
          question: 'Users may be harmed right now by a problem that led to a CAPA. What do you do first?',
          options: ['Contain it at once (warning, hotfix, switch off) and record it', 'Finish the root cause analysis first', 'Wait for the next management review'],
          answer: 0,
        },
        {
          question: 'A CAPA action changes a procedure. How is the change made?',
          options: ['Edit the document directly', 'Through change control, with a new document version', 'It needs no record'],
          answer: 1,
        },
      ],
      passMark: 100,
    },
  },
  {
    number: 'SOP-006',
    title: 'Complaint handling and vigilance reporting',
    docType: 'procedure',
    clauses: ['ISO 13485 8.2.1', 'ISO 13485 8.2.2', 'ISO 13485 8.2.3', 'ISO 13485 7.2.3', '21 CFR 803', '21 CFR 820.198', 'EU MDR Art. 87', 'EU MDR Art. 88'],
    governs: ['CMP'],
    reviewIntervalMonths: 12,
    trainingDays: 14,
    purpose:
      'Handle every complaint the same way, decide quickly whether it must be reported to an authority, report on time, and feed what ' +
      'we learn back into the risk file and the product.',
    scope:
      'Every report from outside that says the product did not work as it should (safety, performance, usability, labeling, data, security), ' +
      'whatever the channel: email, phone, app store review, support portal, sales, field.',
    responsibilities: [
      'Anyone who receives a complaint: records it the same working day.',
      'Quality manager: triages, decides on investigation, owns the complaint file.',
      'Clinical/regulatory specialist: decides reportability with a written rationale and files the reports.',
      'Software engineer: investigates technical causes.',
    ],
    procedure: [
      'Record the complaint as a CMP record the day it arrives (form FRM-002): date received, channel, contact (no patient data), product version, what happened, whether anyone was or could have been harmed.',
      'Triage within 1 working day. If a death or serious injury happened or could have happened, tell the clinical/regulatory specialist at once and record the day we became aware: report deadlines run from that day.',
      'Decide whether to investigate. Investigate every complaint unless the same cause was already investigated; write the reason when you do not.',
      'Decide reportability for each market and write why (`dossier qms complaint deadlines CMP-n` shows the due dates).',
      'United States (21 CFR 803): a death, serious injury, or a malfunction that would likely cause one if it happened again, is reported to FDA within 30 calendar days of becoming aware. An event that needs action to prevent an unreasonable risk of serious harm to public health is reported within 5 working days.',
      'European Union (MDR Article 87): a serious incident is reported to the authority where it happened as soon as we know it is, or may be, linked to our device, and at the latest 15 days after we became aware. A serious public health threat: at the latest 2 days. A death or an unexpected serious deterioration of someone\'s health: at the latest 10 days. If unsure, report on time and complete later.',
      'Record the report dates. A field safety corrective action (e.g. an urgent fix sent to all users) is reported to the authorities before it is carried out, unless it is too urgent.',
      'Act: correct the problem (SOP-013), open a CAPA where the cause must be removed (SOP-005), and record the complaint as post-production information for the risk file (`feeds` a PPI).',
      'Reply to the person who complained, record the date, send the complaint to review and close it by signature.',
      'Each quarter look at complaint trends by product version and cause; a rise in non-serious incidents may itself have to be reported (EU MDR Article 88).',
    ],
    records: [
      'The complaint record with its reportability decision (form FRM-002): `dossier record add -t CMP`.',
      'State moves: `dossier qms advance CMP-n@N STATE`; report due dates: `dossier qms complaint deadlines CMP-n`.',
      'Open complaints: `dossier qms list complaint`.',
      'Copies of reports sent to authorities: `dossier attachment add CMP-n FILE`.',
      'Closure signature: `dossier record sign`.',
    ],
    quiz: {
      questions: [
        {
          question: 'From which day do the vigilance report deadlines run?',
          options: ['The day the investigation ends', 'The day we became aware of the possibly reportable event', 'The day of the next release'],
          answer: 1,
        },
        {
          question: 'What is the latest deadline for reporting a serious incident under the EU MDR (no death, no public health threat)?',
          options: ['15 days after becoming aware', '30 working days', '90 days'],
          answer: 0,
        },
        {
          question: 'An app store review says the app showed another patient\'s readings. What do you do?',
          options: ['Nothing: app store reviews are not complaints', 'Record it as a complaint the same day and triage it', 'Reply to the review and forget it'],
          answer: 1,
        },
      ],
      passMark: 100,
    },
  },
  {
    number: 'SOP-007',
    title: 'Control of nonconforming product and processes',
    docType: 'procedure',
    clauses: ['ISO 13485 8.3', 'ISO 13485 8.2.6', '21 CFR 820.90'],
    governs: ['NC'],
    reviewIntervalMonths: 24,
    trainingDays: 30,
    purpose: 'Stop a product or process that does not meet its requirements from causing harm, and decide in writing what to do with it.',
    scope:
      'A release candidate or released version that fails a requirement, and a process of the quality system that was not followed. ' +
      'Ordinary defects found during development are anomalies under SOP-013.',
    responsibilities: [
      'Anyone: reports a nonconformance.',
      'Quality manager: evaluates it, proposes the disposition, decides whether a CAPA is needed.',
      'Product owner: agrees to a concession (release with a known nonconformance) together with the quality manager.',
    ],
    procedure: [
      'Record the nonconformance as an NC record: product or process, the requirement not met, who found it and when, and whether it was found after delivery.',
      'Contain it: hold the release until the nonconformance has a disposition, or for a released version decide whether users must be warned or the version withdrawn.',
      'Evaluate it: what is affected, how bad it is, whether safety is involved (check the risk file).',
      'Decide the disposition with a justification: use as is, rework (fix and re-verify), reject (do not release), or concession (release anyway, with the risk assessed and signed by the product owner and quality manager).',
      'If found after delivery, also handle it as a complaint or field action where needed (SOP-006).',
      'Decide whether a CAPA is needed; write why not if none.',
      'Do the actions, record them, and close the NC by signature.',
    ],
    records: [
      'The nonconformance record: `dossier record add -t NC`; state moves: `dossier qms advance NC-n@N STATE`.',
      'Open nonconformances: `dossier qms list nc`.',
      'Disposition approval and closure: `dossier record sign`.',
    ],
  },
  {
    number: 'SOP-008',
    title: 'Supplier management',
    docType: 'procedure',
    clauses: ['ISO 13485 7.4.1', 'ISO 13485 7.4.2', 'ISO 13485 7.4.3', 'ISO 13485 4.1', '21 CFR 820.50'],
    governs: ['SUP'],
    reviewIntervalMonths: 24,
    trainingDays: 30,
    purpose: 'Only use suppliers that can deliver what we need at the quality we need, and keep checking them.',
    scope:
      'Suppliers whose product or service can affect our device: cloud hosting, contract developers, commercial SOUP vendors, test labs, ' +
      'regulatory consultants. Office supplies and the like are out of scope.',
    responsibilities: [
      'Quality manager: evaluates and approves suppliers, keeps the approved supplier list, plans re-evaluations.',
      'The person who wants a new supplier: proposes it and gives the information needed for the evaluation.',
      'Managing director: signs quality agreements with critical suppliers.',
    ],
    procedure: [
      'Propose the supplier as a SUP record: what it supplies, its kind and its criticality (high when a failure could affect patient safety or data; medium when it affects our product; low otherwise).',
      'Evaluate it with form FRM-006 before first use: certificates (ISO 27001, SOC 2, ISO 13485), track record, security, data location, support, exit plan. Higher criticality needs more evidence.',
      'Decide: approved, conditional (with the conditions written down), or blocked. Sign the evaluation.',
      'Write down what we buy (purchasing information): the service, version or plan, the quality and security requirements. For critical suppliers sign a quality agreement and record its expiry.',
      'Check what we receive: for software and SOUP, the version and its checksum; for services, the agreed service levels. SOUP components link to their supplier (`supplied_by`).',
      'Re-evaluate each supplier at its interval (12 months for high criticality, 24 otherwise) or after a problem. `dossier qms suppliers` shows who is due.',
      'A supplier problem is recorded as a nonconformance or CAPA and taken into the next evaluation.',
    ],
    records: [
      'Suppliers and their evaluation (form FRM-006): `dossier record add -t SUP`; state moves: `dossier qms advance SUP-n@N STATE`.',
      'The approved supplier list with re-evaluations due: `dossier qms suppliers`.',
      'Certificates and agreements: `dossier attachment add SUP-n FILE`.',
    ],
  },
  {
    number: 'SOP-009',
    title: 'Change control',
    docType: 'procedure',
    clauses: ['ISO 13485 7.3.9', 'ISO 13485 4.1.4', 'ISO 13485 5.4.2', 'IEC 62304 6.2', 'IEC 62304 8.2', '21 CFR 820.30'],
    governs: ['CR'],
    reviewIntervalMonths: 24,
    trainingDays: 30,
    purpose: 'Make sure no change to the product or the quality system is made without knowing what it touches, what it does to safety, and who approved it.',
    scope:
      'Changes to released product (requirements, design, code, SOUP, labeling, hosting) and to the quality system\'s processes. ' +
      'Work on a product version that has never been released is controlled by design reviews (SOP-012) instead.',
    responsibilities: [
      'Requester: describes the change and why.',
      'Product owner and a software engineer: analyse the impact.',
      'Quality manager and clinical/regulatory specialist: assess safety and regulatory impact, approve or reject.',
    ],
    procedure: [
      'Submit a change request as a CR record (form FRM-008) with its origin (CAPA, complaint, anomaly, improvement, regulatory, supplier) and link the records it changes (`changes`).',
      'Analyse the impact: `dossier qms change impact CR-n` shows every record upstream and downstream of what it changes (requirements, tests, risks, SOUP). Add the records found that also need to change.',
      'Assess safety: does it add or change a hazard or a risk control? Update the risk file (SOP-011). Write the safety impact in one or two sentences.',
      'Assess regulatory significance: none, letter to file, notification, or a new submission. If it needs a new submission, it waits for clearance before release.',
      'Approve: move it to assessed and sign it. No record the change touches can be approved before the change request is approved; Dossier refuses it.',
      'Implement the change under software development (SOP-010) or document control (SOP-001), with new revisions of the records it touches.',
      'Verify: re-run the tests that cover what changed plus regression tests, and confirm suspect links (`dossier trace suspects`, `dossier trace confirm`).',
      'Release it under SOP-017 and record the release version in the change request.',
    ],
    records: [
      'The change request with impact, safety and regulatory assessment (form FRM-008): `dossier record add -t CR`; state moves: `dossier qms advance CR-n@N STATE`.',
      'Links to changed records: `dossier link add CR-n changes SRS-m`.',
      'Impact analysis: `dossier qms change impact CR-n` (or `dossier impact`).',
      'Approval signature: `dossier record sign`.',
      'Open changes: `dossier qms list change`.',
    ],
  },
];
