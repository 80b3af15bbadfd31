import { RULE_TEXT, type RuleId } from './rules.ts';

/**
 * The rules' explanations in every language rrc speaks. The ids never change with the
 * language (clients and tests match on them); only these words do. English is `RULE_TEXT`
 * itself, so there is one English source. Liaisons read these in the origin State's ministry,
 * so the legal terms follow the usual wording of readmission agreements in each language.
 */
export const RULE_LOCALES = ['en', 'fr', 'ar'] as const;
export type RuleLocale = (typeof RULE_LOCALES)[number];

const FR: Record<RuleId, string> = {
  'protection-clearance-required':
    'Le statut de protection doit être vérifié comme définitif, avec une évaluation du non-refoulement concluant à l’absence de risque.',
  'protection-hold-active': 'Une demande de protection, un recours suspensif ou une mesure provisoire est en cours.',
  'voluntary-departure-running':
    'La date tombe dans le délai de départ volontaire et aucun risque de fuite n’est consigné avec ses motifs.',
  'best-interests-assessment-required':
    'Chaque enfant doit faire l’objet d’une évaluation indépendante de son intérêt supérieur concluant que le retour est dans son intérêt.',
  'unaccompanied-minor-reception-unverified':
    'Un mineur non accompagné n’est éloigné qu’une fois son accueil dans l’État d’origine vérifié.',
  'family-separation-unrecorded': 'N’éloigner qu’une partie du foyer exige une décision consignée et motivée.',
  'fitness-to-travel-required':
    'Un éloignement sous escorte exige un certificat d’aptitude au voyage valable à la date du départ.',
  'use-of-force-assessment-required':
    'Un éloignement sous escorte exige une évaluation individuelle des risques liés à l’usage de la force.',
  'prohibited-restraint-method': 'Cette méthode de contrainte n’est jamais autorisée.',
  'monitor-required': 'Un éloignement sous escorte exige la désignation d’un observateur indépendant.',
  'agreement-required': 'La demande doit citer un accord de réadmission en vigueur entre ces deux États.',
  'evidence-or-interview-required':
    'La demande doit comporter une preuve de la nationalité ou solliciter un entretien.',
  'readmission-acceptance-required':
    'L’État d’origine doit avoir accepté la réadmission, dans le délai de transfert et avec l’avis d’arrivée.',
  'travel-document-required': 'Il faut un passeport ou un document de voyage valable à la date du départ.',
  'reasons-required': 'Des motifs doivent être indiqués.',
  'critical-concern-unanswered':
    'Une préoccupation critique relative aux garanties est restée sans réponse de l’agent.',
  'wrong-stage': 'Cette action ne s’applique pas au stade actuel du dossier.',
  'not-permitted': 'Votre rôle ou votre État ne le permet pas.',
  'case-closed': 'Le dossier est clos : seuls des faits peuvent encore être consignés.',
  'removal-postponed': 'L’éloignement est reporté pour des raisons de santé ou techniques.',
  'whereabouts-unknown': 'La personne s’est soustraite à la procédure ; on ignore où elle se trouve.',
  'extension-beyond-agreement': 'L’accord ne permet pas une prolongation aussi longue, ni une seconde prolongation.',
  'document-not-shareable':
    'Un certificat médical ou une décision de justice n’est jamais communiqué à l’État d’origine.',
};

const AR: Record<RuleId, string> = {
  'protection-clearance-required':
    'يجب التحقق من أن وضع الحماية نهائي، مع تقييم لمبدأ عدم الإعادة القسرية يخلص إلى انعدام الخطر.',
  'protection-hold-active': 'هناك طلب حماية أو طعن موقف للتنفيذ أو تدبير مؤقت قيد النظر.',
  'voluntary-departure-running': 'يقع التاريخ ضمن مهلة المغادرة الطوعية، ولم يُسجَّل خطر فرار مع أسبابه.',
  'best-interests-assessment-required':
    'يجب أن يخضع كل طفل لتقييم مستقل للمصلحة الفضلى يخلص إلى أن العودة تصب في مصلحته الفضلى.',
  'unaccompanied-minor-reception-unverified':
    'لا يُرحَّل القاصر غير المصحوب إلا بعد التحقق من ترتيبات استقباله في دولة المنشأ.',
  'family-separation-unrecorded': 'ترحيل جزء من الأسرة فقط يتطلب قرارًا مسجَّلًا ومسبَّبًا.',
  'fitness-to-travel-required': 'يتطلب الترحيل المرافَق شهادة لياقة للسفر سارية في تاريخ المغادرة.',
  'use-of-force-assessment-required': 'يتطلب الترحيل المرافَق تقييمًا فرديًا لمخاطر استخدام القوة.',
  'prohibited-restraint-method': 'طريقة التقييد هذه غير مسموح بها أبدًا.',
  'monitor-required': 'يتطلب الترحيل المرافَق تعيين مراقب مستقل.',
  'agreement-required': 'يجب أن يذكر الطلب اتفاق إعادة قبول نافذًا بين هاتين الدولتين.',
  'evidence-or-interview-required': 'يجب أن يتضمن الطلب إثباتًا للجنسية أو أن يطلب إجراء مقابلة.',
  'readmission-acceptance-required':
    'يجب أن تكون دولة المنشأ قد وافقت على إعادة القبول، ضمن مهلة النقل ومع إشعار الوصول.',
  'travel-document-required': 'يلزم جواز سفر أو وثيقة سفر سارية في تاريخ المغادرة.',
  'reasons-required': 'يجب ذكر الأسباب.',
  'critical-concern-unanswered': 'هناك مخاوف حرجة تتعلق بالضمانات لم يرد عليها موظف الملف.',
  'wrong-stage': 'لا ينطبق هذا الإجراء على المرحلة الحالية من الملف.',
  'not-permitted': 'دورك أو دولتك لا يسمح بذلك.',
  'case-closed': 'الملف مغلق: لا يمكن تسجيل سوى الوقائع.',
  'removal-postponed': 'تم تأجيل الترحيل لأسباب صحية أو فنية.',
  'whereabouts-unknown': 'توارى الشخص عن الأنظار؛ مكان وجوده غير معروف.',
  'extension-beyond-agreement': 'لا يسمح الاتفاق بتمديد بهذا الطول، ولا بتمديد ثانٍ.',
  'document-not-shareable': 'لا تُرسَل الشهادة الطبية أو الحكم القضائي إلى دولة المنشأ أبدًا.',
};

export const RULE_TEXTS: Record<RuleLocale, Record<RuleId, string>> = { en: RULE_TEXT, fr: FR, ar: AR };
