"""Council whistleblowing procedure with flat paragraph numbering and (a)(b) lists. Our own words."""

DOC = {
    "id": "thornwick-whistleblowing",
    "title": "Whistleblowing (Confidential Reporting) Procedure for Schools",
    "front": [
        "Issued by: Thornwick Metropolitan Borough Council",
        "Approved by: Schools Forum  Date: January 2025",
        "Next review: January 2028",
    ],
    "sections": [
        ("## Section 1 – Introduction", [
            ("1.", "This procedure lets anyone who works in a maintained school raise a serious concern about wrongdoing in the school without fear of being treated unfairly as a result.", None,
             ["n:what is the whistleblowing policy for", "n:what does whistleblowing mean", "n:is this the procedure for raising concerns about wrongdoing"]),
            ("2.", "It applies to employees, agency workers, volunteers, governors and contractors working on school premises.", None,
             ["n:can volunteers use the whistleblowing procedure", "n:who can blow the whistle", "n:does whistleblowing cover agency staff"]),
        ]),
        ("## Section 2 – What counts as whistleblowing", [
            ("3.", "A whistleblowing concern is about something that affects others or the public, such as fraud, a danger to health and safety, a criminal offence, a failure to safeguard children or the cover-up of any of these.", None,
             ["n:what kind of things can I whistleblow about", "n:is fraud a whistleblowing matter", "n:does covering up count"]),
            ("4.", "A complaint about your own pay, treatment or working conditions is a grievance and should be raised under the grievance procedure, not this one.", "advised",
             ["p:should I use whistleblowing to complain about my workload", "p:can I whistleblow because I'm unhappy with my pay", "n:what's the difference between a grievance and whistleblowing"]),
        ]),
        ("## Section 3 – Protection", [
            ("5.", "The Public Interest Disclosure Act 1998 protects workers who raise a genuine concern in the public interest from being dismissed or treated badly because of it.", None,
             ["n:which law protects whistleblowers", "n:am I protected if I report wrongdoing", "n:could I be sacked for whistleblowing"]),
            ("6.", "Anyone who victimises or harasses a person for raising a concern will face disciplinary action.", None,
             ["n:what happens to someone who picks on a whistleblower", "n:what if my manager punishes me for reporting", "n:is bullying a whistleblower a disciplinary matter"]),
            ("7.", "Staff should not be deterred by the fact that they cannot prove their concern; an honest belief is enough.", "may",
             ["p:do i need proof before raising a concern", "p:can I report something I only suspect", "p:should I wait until I have evidence"]),
        ]),
        ("## Section 4 – Confidentiality and anonymity", [
            ("8.", "We will do our best to keep your identity confidential if you ask us to, but you may need to give evidence if the matter leads to a police or disciplinary investigation.", None,
             ["n:will my name be kept secret if I report", "n:can my identity stay confidential", "n:might I have to give evidence"]),
            ("9.", "Concerns can be raised anonymously, but staff are encouraged to give their name because anonymous concerns are much harder to investigate.", "may",
             ["p:can i report something without giving my name", "p:is it ok to whistleblow anonymously", "p:should I put my name to the concern"]),
        ]),
        ("## Section 5 – How to raise a concern", [
            ("LEAD", "Staff should normally raise a concern, in writing if possible, with:", None, []),
            ("(a)", "their line manager or a member of the senior leadership team;", "advised",
             ["p:who should I go to first with a concern", "p:can I tell my line manager about fraud", "p:should I put my concern in writing"]),
            ("(b)", "the headteacher, if the concern is about a line manager or senior leader;", "advised",
             ["p:my line manager is the problem who do I tell", "p:should i go to the head if it's about a deputy", "n:who deals with concerns about senior staff"]),
            ("(c)", "the chair of governors, if the concern is about the headteacher.", "advised",
             ["p:what if my concern is about the headteacher", "p:who do I report the head to", "p:should I contact the chair of governors about the head"]),
            ("10.", "A concern about the safety of a child must be reported straight away to the Designated Safeguarding Lead under the child protection policy as well as, or instead of, this procedure.", "must",
             ["p:is whistleblowing the right route for a child protection worry", "p:what do I do if my concern is about a child's safety", "p:do I have to tell the DSL about a safeguarding whistleblowing issue"]),
            ("11.", "Staff may bring a trade union representative or a colleague to any meeting about their concern.", "may",
             ["p:can I bring my union rep to the meeting", "p:am I allowed a colleague with me", "p:can someone come with me to talk about my concern"]),
        ]),
        ("## Section 6 – What will happen", [
            ("12.", "The person receiving the concern will acknowledge it in writing within five working days and say how it will be looked into.", None,
             ["n:how long until I hear back about my concern", "n:when will they acknowledge my report", "n:will I get a reply in writing"]),
            ("13.", "Where possible, the person who raised the concern will be told the outcome, though some details may be withheld for legal reasons.", None,
             ["n:will I be told what happened", "n:do I find out the outcome", "n:why might they not tell me everything"]),
            ("14.", "If a concern is raised maliciously or for personal gain and is known to be untrue, disciplinary action may be taken against the person who raised it.", None,
             ["n:what if someone makes a false whistleblowing claim", "n:can I get in trouble if my concern turns out wrong", "n:what happens with malicious reports"]),
        ]),
        ("## Section 7 – Taking it further", [
            ("15.", "If you are not satisfied with the response, you may contact the council's monitoring officer or a prescribed body such as Ofsted or the Health and Safety Executive.", "may",
             ["p:can i go to ofsted if the school ignores me", "n:who can I contact outside school", "p:am I allowed to go above the school's head"]),
            ("16.", "Staff should not take a concern to the media without first using this procedure, as doing so may remove their legal protection.", "should_not",
             ["p:can I tell the local paper about it", "p:should I post my concern on facebook", "p:can i go straight to the press"]),
        ]),
        ("## Appendix: Contacts", [
            ("TABLE", "| Organisation | When to contact | Telephone |\n|---|---|---|\n| Council monitoring officer | Concern not resolved in school | 01632 960 412 |\n| Local Authority Designated Officer | Concern about an adult harming a child | 01632 960 188 |\n| Protect (independent advice) | Free confidential advice | 020 7946 0573 |", None, []),
        ]),
    ],
}
