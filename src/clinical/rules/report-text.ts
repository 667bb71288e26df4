/**
 * Reading an imaging report's free-text conclusion (section 5 of the clinical reference): the words
 * of the article's findings, and the words that negate a mention or leave it uncertain. Patterns are
 * regular-expression sources, matched case-insensitively on one clause at a time (a clause ends at
 * `.`, `;`, `:`, a line break, "but" or "however").
 */
export interface ReportTextRules {
  section: string;
  /** The article's findings (section 5): a mention, neither negated nor uncertain, is abnormal. */
  findings: string[];
  /** Before a finding in its clause, these negate it ("no calculi", "without hydronephrosis"). */
  negatedBefore: string;
  /** After a finding in its clause, these negate it ("calculus has resolved", "nephrocalcinosis excluded"). */
  negatedAfter: string;
  /** Anywhere in the clause, these leave a mention uncertain: the report is "done: read the report". */
  uncertain: string;
}

export const REPORT_TEXT: ReportTextRules = {
  section: '5',
  findings: [
    String.raw`nephrocalcinos[ie]s`,
    // not the calcification of vessels or of the gallbladder
    String.raw`(?<!(vascular|aortic|arterial|vessel|gallbladder|gall bladder) )calcif(ication|ications|ied)`,
    String.raw`(?<!(gallbladder|gall bladder|biliary|bile duct) )calcul(us|i)`,
    String.raw`(?<!(gallbladder|gall bladder|biliary|bile duct) )stones?`,
    String.raw`hydronephros[ie]s`,
    String.raw`echogenic (medullary )?pyramids|(increased )?echogenicity of the (medullary )?pyramids|medullary (hyper)?echogenicity`,
    String.raw`(nephro|uro)lithiasis`,
  ],
  negatedBefore: String.raw`\b(no|not|nor|without|negative for|absence of|absent|free of|rule[ds]? out|no evidence of|no sign of|resolution of)\b`,
  negatedAfter: String.raw`\b(not (seen|identified|present|demonstrated|visualised|visualized)|absent|excluded|ruled out|resolved|has resolved|have resolved|no longer (seen|present|visible))\b`,
  uncertain: String.raw`\?|\b(possible|possibly|probable|probably|suspected|suspicious|query|queried|cannot be (excluded|ruled out)|cannot exclude|may (be|represent)|might|likely|unlikely|differential|equivocal|indeterminate|questionable|versus|vs)\b`,
};
