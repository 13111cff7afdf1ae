/**
 * How the knowledge base recognises medicines and recorded problems. Medicines match on the
 * ingredient word in the display (the most portable signal across EHRs) or on RxNorm codes:
 * ingredient RxCUIs plus the clinical-drug RxCUIs commonly ordered. Problems match on SNOMED CT,
 * ICD-10-CM prefixes or words.
 */
import type { Matcher } from './case-view.ts';

const words = (...terms: string[]): RegExp => new RegExp(`\\b(?:${terms.join('|')})`, 'i');

export const DRUG = {
  metformin: { text: words('metformin'), codes: ['6809', '861004', '861007'] },
  sulfonylurea: { text: words('glyburide', 'glibenclamide', 'glipizide', 'glimepiride', 'gliclazide'), codes: ['4815', '4821', '25789', '310537'] },
  insulin: { text: words('insulin') },
  sglt2: { text: words('empagliflozin', 'dapagliflozin', 'canagliflozin', 'ertugliflozin', 'sotagliflozin') },
  glp1: { text: words('semaglutide', 'liraglutide', 'dulaglutide', 'exenatide', 'tirzepatide') },
  nsaid: {
    text: words('ibuprofen', 'naproxen', 'diclofenac', 'celecoxib', 'meloxicam', 'indomethacin', 'ketorolac', 'etodolac', 'nabumetone', 'piroxicam', 'ketoprofen'),
    codes: ['5640', '7258', '197805', '310965', '198014'],
  },
  aceInhibitor: { text: words('lisinopril', 'enalapril', 'ramipril', 'captopril', 'benazepril', 'perindopril', 'quinapril', 'fosinopril', 'trandolapril'), codes: ['29046', '314076', '314077'] },
  arb: { text: words('losartan', 'valsartan', 'irbesartan', 'candesartan', 'olmesartan', 'telmisartan', 'azilsartan', 'sacubitril') , codes: ['52175'] },
  reninInhibitor: { text: words('aliskiren') },
  mra: { text: words('spironolactone', 'eplerenone', 'finerenone'), codes: ['9997', '313096'] },
  potassiumSparing: { text: words('amiloride', 'triamterene') },
  potassiumSupplement: { text: words('potassium chloride', 'potassium citrate', 'potassium bicarbonate') },
  trimethoprim: { text: words('trimethoprim') },
  thiazide: { text: words('hydrochlorothiazide', 'chlorthalidone', 'indapamide', 'metolazone', 'bendroflumethiazide', 'chlorothiazide'), codes: ['5487', '310798'] },
  loopDiuretic: { text: words('furosemide', 'bumetanide', 'torsemide', 'ethacrynic'), codes: ['4603', '313988'] },
  ssri: { text: words('sertraline', 'citalopram', 'escitalopram', 'fluoxetine', 'paroxetine', 'fluvoxamine', 'venlafaxine', 'duloxetine', 'desvenlafaxine', 'mirtazapine'), codes: ['36437', '312941'] },
  antiepileptic: { text: words('carbamazepine', 'oxcarbazepine', 'valproate', 'valproic', 'phenytoin', 'levetiracetam', 'lamotrigine', 'gabapentin', 'pregabalin', 'topiramate') },
  benzodiazepine: { text: words('diazepam', 'lorazepam', 'alprazolam', 'clonazepam', 'temazepam', 'chlordiazepoxide', 'oxazepam', 'midazolam') },
  zDrug: { text: words('zolpidem', 'zopiclone', 'eszopiclone', 'zaleplon'), codes: ['39993', '854876'] },
  firstGenAntihistamine: { text: words('diphenhydramine', 'hydroxyzine', 'chlorpheniramine', 'promethazine', 'doxylamine', 'meclizine', 'cyproheptadine', 'dimenhydrinate'), codes: ['3498', '1049630'] },
  tricyclic: { text: words('amitriptyline', 'nortriptyline', 'imipramine', 'doxepin', 'clomipramine', 'desipramine') },
  antipsychotic: { text: words('haloperidol', 'quetiapine', 'olanzapine', 'risperidone', 'aripiprazole', 'ziprasidone', 'chlorpromazine') },
  opioid: { text: words('oxycodone', 'hydrocodone', 'morphine', 'tramadol', 'codeine', 'hydromorphone', 'fentanyl', 'tapentadol', 'methadone') },
  muscleRelaxant: { text: words('cyclobenzaprine', 'methocarbamol', 'carisoprodol', 'metaxalone', 'orphenadrine') },
  ppi: { text: words('omeprazole', 'esomeprazole', 'pantoprazole', 'lansoprazole', 'rabeprazole', 'dexlansoprazole'), codes: ['7646', '402014'] },
  apixaban: { text: words('apixaban'), codes: ['1364430', '1364445'] },
  rivaroxaban: { text: words('rivaroxaban'), codes: ['1114195'] },
  dabigatran: { text: words('dabigatran') },
  edoxaban: { text: words('edoxaban') },
  warfarin: { text: words('warfarin'), codes: ['11289', '855332'] },
  heparin: { text: words('heparin', 'enoxaparin', 'dalteparin', 'fondaparinux') },
  antiplatelet: { text: words('aspirin', 'clopidogrel', 'prasugrel', 'ticagrelor'), codes: ['1191'] },
  statin: { text: words('atorvastatin', 'rosuvastatin', 'simvastatin', 'pravastatin', 'lovastatin', 'pitavastatin', 'fluvastatin'), codes: ['83367'] },
  betaBlocker: { text: words('metoprolol', 'bisoprolol', 'carvedilol', 'atenolol', 'propranolol', 'nebivolol', 'labetalol') },
  hfBetaBlocker: { text: words('metoprolol succinate', 'bisoprolol', 'carvedilol', '24 hr metoprolol') },
  antihypertensive: {
    text: words(
      'lisinopril', 'enalapril', 'ramipril', 'captopril', 'benazepril', 'perindopril', 'quinapril', 'losartan', 'valsartan', 'irbesartan', 'candesartan', 'olmesartan', 'telmisartan',
      'amlodipine', 'nifedipine', 'felodipine', 'diltiazem', 'verapamil', 'hydrochlorothiazide', 'chlorthalidone', 'indapamide', 'metoprolol', 'atenolol', 'bisoprolol', 'carvedilol',
      'labetalol', 'methyldopa', 'hydralazine', 'clonidine', 'doxazosin', 'spironolactone', 'furosemide',
    ),
  },
  levothyroxine: { text: words('levothyroxine', 'liothyronine', 'thyroxine'), codes: ['10582', '966247'] },
  antithyroid: { text: words('methimazole', 'carbimazole', 'propylthiouracil') },
  amiodarone: { text: words('amiodarone'), codes: ['703'] },
  lithium: { text: words('lithium'), codes: ['6448'] },
  glucocorticoid: { text: words('prednisone', 'prednisolone', 'hydrocortisone', 'dexamethasone', 'methylprednisolone', 'fludrocortisone'), codes: ['8640', '312617'] },
  oralIron: { text: words('ferrous', 'ferric', 'iron polysaccharide', 'iron sucrose', 'ferumoxytol', 'carboxymaltose') },
  b12: { text: words('cyanocobalamin', 'hydroxocobalamin', 'methylcobalamin', 'vitamin b12', 'vitamin b-12') },
  allopurinol: { text: words('allopurinol', 'febuxostat'), codes: ['519'] },
  bisphosphonate: { text: words('alendron', 'risedron', 'ibandron', 'zoledron') },
  oestrogen: { text: words('estradiol', 'ethinyl', 'conjugated estrogens', 'norethindrone', 'levonorgestrel', 'drospirenone') },
  saba: { text: words('albuterol', 'salbutamol', 'levalbuterol', 'terbutaline') },
  inhaledSteroid: { text: words('fluticasone', 'budesonide', 'beclomethasone', 'mometasone', 'ciclesonide') },
  copdInhaler: { text: words('tiotropium', 'umeclidinium', 'glycopyrronium', 'glycopyrrolate', 'aclidinium', 'ipratropium', 'salmeterol', 'formoterol', 'vilanterol', 'olodaterol') },
  antibiotic: {
    text: words(
      'ceftriaxone', 'cefazolin', 'cefepime', 'cephalexin', 'cefuroxime', 'cefpodoxime', 'amoxicillin', 'ampicillin', 'piperacillin', 'meropenem', 'ertapenem', 'vancomycin',
      'ciprofloxacin', 'levofloxacin', 'moxifloxacin', 'azithromycin', 'clarithromycin', 'doxycycline', 'nitrofurantoin', 'fosfomycin', 'sulfamethoxazole', 'gentamicin', 'clindamycin', 'linezolid',
    ),
  },
  epinephrineInjector: { text: words('epinephrine', 'adrenaline', 'epipen', 'auvi-q') },
  /** Drugs with fetal harm in pregnancy that a chart may still list as active. */
  teratogen: {
    text: words(
      'lisinopril', 'enalapril', 'ramipril', 'captopril', 'benazepril', 'perindopril', 'quinapril', 'losartan', 'valsartan', 'irbesartan', 'candesartan', 'olmesartan', 'telmisartan', 'aliskiren',
      'sacubitril', 'warfarin', 'valproate', 'valproic', 'isotretinoin', 'methotrexate', 'mycophenolate', 'finasteride', 'misoprostol', 'thalidomide',
    ),
  },
} as const satisfies Record<string, Matcher>;

export const PROBLEM = {
  ckd: { codes: ['709044004', '431855005', '431856006', '700378005', '700379002', '431857002', '433146000', '46177005'], icd10: ['N18'], text: words('chronic kidney', 'chronic renal', 'ckd') },
  // Not "pre-diabetes" and not diabetes insipidus.
  diabetes: { codes: ['44054006', '73211009', '46635009', '771000119108', '127013003'], icd10: ['E10', 'E11', 'E13'], text: /(?<![-\w])diabet(?!es insipidus)/i },
  type1Diabetes: { codes: ['46635009'], icd10: ['E10'], text: words('type 1 diabetes', 'type i diabetes') },
  prediabetes: { codes: ['714628002', '15777000'], icd10: ['R73.0'], text: words('prediabetes', 'pre-diabetes', 'impaired fasting', 'impaired glucose') },
  hypertension: { codes: ['59621000', '38341003', '1201005'], icd10: ['I10', 'I11', 'I12', 'I13', 'I15', 'I16', 'O10'], text: words('hypertension', 'high blood pressure') },
  heartFailure: { codes: ['84114007', '441481004', '88805009', '42343007', '85232009', '703272007'], icd10: ['I50'], text: words('heart failure', 'hfref', 'hfpef', 'cardiac failure') },
  atrialFibrillation: { codes: ['49436004', '440028005', '426749004'], icd10: ['I48'], text: words('atrial fibrillation', 'atrial flutter') },
  coronaryDisease: { codes: ['53741008', '22298006', '401314000', '401303003', '233819005'], icd10: ['I20', 'I21', 'I22', 'I25'], text: words('coronary', 'myocardial infarction', 'angina', 'cabg', 'stent') },
  strokeOrTia: { codes: ['230690007', '266257000', '422504002'], icd10: ['I63', 'I64', 'G45', 'Z86.73'], text: words('stroke', 'cerebrovascular accident', 'transient ischemic', 'transient ischaemic', 'tia') },
  vascularDisease: { codes: ['399957001', '840580004'], icd10: ['I70', 'I73.9'], text: words('peripheral arter', 'peripheral vascular') },
  vte: { codes: ['128053003', '59282003', '429098002'], icd10: ['I26', 'I82.4', 'Z86.71'], text: words('deep vein thrombosis', 'deep venous thrombosis', 'pulmonary embol', 'venous thromboembolism') },
  cancer: { icd10: ['C'], text: words('cancer', 'carcinoma', 'malignan', 'lymphoma', 'leukaemia', 'leukemia', 'myeloma', 'metasta') },
  hyperlipidaemia: { codes: ['55822004', '13644009', '398036000'], icd10: ['E78'], text: words('hyperlipid', 'hypercholesterol', 'dyslipid') },
  smoking: { codes: ['56294008', '449868002', '77176002', '65568007'], icd10: ['F17', 'Z72.0'], text: words('nicotine', 'tobacco', 'smok') },
  obesity: { codes: ['414916001', '162864005', '238136002'], icd10: ['E66', 'Z68.3', 'Z68.4'], text: words('obesity', 'obese') },
  asthma: { codes: ['195967001', '426979002', '281239006', '427679007', '426656000'], icd10: ['J45'], text: words('asthma') },
  copd: { codes: ['13645005', '195951007'], icd10: ['J44', 'J43'], text: words('chronic obstructive', 'copd', 'emphysema', 'chronic bronchitis') },
  uti: { codes: ['68566005', '197927001', '45816000'], icd10: ['N39.0', 'N30', 'N10'], text: words('urinary tract infection', 'uti', 'cystitis', 'pyelonephritis') },
  pneumonia: { codes: ['233604007', '385093006'], icd10: ['J12', 'J13', 'J14', 'J15', 'J16', 'J18'], text: words('pneumonia') },
  hypothyroidism: { codes: ['40930008', '21983002'], icd10: ['E03', 'E06.3'], text: words('hypothyroid', 'hashimoto') },
  hyperthyroidism: { codes: ['34486009', '353295004'], icd10: ['E05'], text: words('hyperthyroid', 'thyrotoxicosis', 'graves') },
  autoimmune: { codes: ['56727007', '84027009', '46635009', '21983002'], icd10: ['L80', 'D51.0', 'E10', 'E06.3', 'K90.0'], text: words('vitiligo', 'pernicious', 'hashimoto', 'coeliac', 'celiac', 'type 1 diabetes') },
  menorrhagia: { codes: ['386692008'], icd10: ['N92.0', 'N92.1', 'N92.4'], text: words('menorrhagia', 'heavy menstrual', 'heavy periods') },
  giBleed: { codes: ['74474003', '37372002'], icd10: ['K92.0', 'K92.1', 'K92.2', 'K25', 'K26', 'K27'], text: words('gastrointestinal bleed', 'gi bleed', 'melaena', 'melena', 'haematemesis', 'hematemesis', 'peptic ulcer') },
  anaemia: { codes: ['271737000', '87522002'], icd10: ['D50', 'D51', 'D52', 'D53', 'D63', 'D64'], text: words('anaemia', 'anemia') },
  falls: { codes: ['161898004', '129839007', '217082002'], icd10: ['R29.6', 'W19', 'Z91.81'], text: words('falls', 'fall risk', 'recurrent fall') },
  osteoporosis: { codes: ['64859006', '443165006'], icd10: ['M80', 'M81'], text: words('osteoporo') },
  dementia: { codes: ['52448006', '26929004'], icd10: ['F01', 'F02', 'F03', 'G30'], text: words('dementia', 'alzheimer') },
  depression: { codes: ['370143000', '35489007'], icd10: ['F32', 'F33'], text: words('depress') },
  gout: { codes: ['90560007'], icd10: ['M10', 'M1A'], text: words('gout') },
  pregnancy: { codes: ['77386006'], icd10: ['Z33', 'Z34', 'O'], text: words('pregnan') },
  fatigue: { codes: ['84229001'], icd10: ['R53'], text: words('fatigue', 'tiredness', 'malaise', 'lethargy') },
  weightLoss: { codes: ['89362005'], icd10: ['R63.4'], text: words('weight loss') },
  backPain: { codes: ['279039007', '161891005'], icd10: ['M54'], text: words('back pain') },
  chestPain: { codes: ['29857009', '274668005'], icd10: ['R07'], text: words('chest pain') },
  liverDisease: { codes: ['197315008', '197321007', '19943007'], icd10: ['K70', 'K74', 'K75.8', 'K76.0'], text: words('fatty liver', 'steatosis', 'masld', 'nafld', 'cirrhosis') },
} as const satisfies Record<string, Matcher>;

/** Symptoms and signs as notes word them. */
export const SAYS = {
  confusion: words('confus', 'disorient', 'drowsy', 'altered mental', 'obtunded', 'delirium', 'not oriented', 'oriented to person only'),
  chestPain: words('chest pain', 'chest pressure', 'chest tightness', 'pressure-like', 'central chest'),
  dyspnoea: words('short(?:ness)? of breath', 'breathless', 'dyspno', 'dyspne', 'orthopno', 'paroxysmal nocturnal'),
  fall: /\b(?:fall|falls|fell|fallen)\b|found on (?:the )?(?:bedroom |bathroom )?floor/i,
} as const;
