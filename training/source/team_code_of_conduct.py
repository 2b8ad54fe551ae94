"""Staff code of conduct of a trust (numbered 1.1 with (a)/(i) lists and a table). Our own words."""

DOC = {
    "id": "hollinsbrook-code-of-conduct",
    "title": "Staff Code of Conduct",
    "front": [
        "Issued by: Hollinsbrook Learning Trust",
        "Approved by: Board of Trustees  Date: July 2025",
        "Next review: July 2027",
        "Version: 3.0",
    ],
    "sections": [
        ("## 1. Introduction", [
            ("1.1", "This code sets out the standards of behaviour the Trust expects of everyone who works in its schools, whether employed, agency, volunteer or on a placement.", None,
             ["n:who has to follow the staff code of conduct", "n:does the code of conduct apply to agency staff", "n:what is the code of conduct about"]),
            ("1.2", "The code does not list every situation; staff are expected to use their professional judgement and to ask their line manager when they are unsure.", "advised",
             ["p:what should I do if the code doesnt cover my situation", "p:should I ask my manager if I'm not sure something's allowed", "n:does the code cover everything"]),
        ]),
        ("## 2. Professional boundaries", [
            ("2.1", "Staff must not develop personal or romantic relationships with pupils, and this applies to pupils of any age, including sixth-form students aged 18 or over.", "must_not",
             ["p:can i date a sixth former if they're 18", "p:is it ok to go out with a year 13 student who is an adult", "p:am I allowed a relationship with an 18 year old pupil"]),
            ("2.2", "Staff should avoid being alone with a pupil in a room with the door closed; where a one-to-one meeting is needed, it should be in a visible place and a colleague should know it is happening.", "should_not",
             ["p:can I see a student on my own in my office with the door shut", "p:is a one to one tutoring session behind a closed door ok", "p:should I tell someone before meeting a pupil alone"]),
            ("2.3", "Staff must not give pupils lifts in their own cars unless the journey has been agreed in advance by the headteacher and the parent, and the driver has business insurance.", "approval",
             ["p:can i drive a kid home after football practice", "p:can I give a student a lift in my car", "p:is it ok to drop a pupil at the station on my way home"]),
            ("2.4", "Physical contact with pupils should be limited to what is appropriate to the pupil's age and needs, such as comforting a distressed young child or guiding a pupil for safety.", "advised",
             ["p:can I hug a crying reception child", "p:is touching a pupil ever allowed", "p:can i put my arm around an upset year 1"]),
        ]),
        ("## 3. Gifts and hospitality", [
            ("3.1", "Staff may accept small tokens of thanks from pupils or parents, such as cards, chocolates or flowers, without declaring them.", "may",
             ["p:can i accept a box of chocolates from a parent at christmas", "p:is it ok to keep a thank you card and flowers", "p:am I allowed to take end of year presents"]),
            ("LEAD", "Staff must declare to the business manager:", None, []),
            ("(a)", "any gift from a parent, pupil or supplier worth more than 25 pounds;", "must",
             ["p:a parent gave me a 50 pound voucher do i need to tell anyone", "p:do I have to declare an expensive present", "p:should I report a gift card from a family"]),
            ("(b)", "any offer of hospitality from a supplier or contractor, such as a meal or tickets to an event.", "must",
             ["p:a supplier offered me football tickets, do I need to declare it", "p:can I go for a free dinner with the photocopier company", "p:do I have to tell someone about a lunch invite from a contractor"]),
            ("3.2", "Cash gifts must never be accepted, whatever the amount.", "must_not",
             ["p:can i accept a tenner from a parent", "p:is it ok to take money as a thank you", "p:a dad tried to give me cash, can I keep it"]),
        ]),
        ("## 4. Confidentiality", [
            ("4.1", "Staff must keep information about pupils, families and colleagues confidential and share it only with people who need to know it for their work.", "must",
             ["p:can I tell my partner about a pupil's home situation", "p:is it ok to talk about a child's family problems in the pub", "p:who can I share info about a pupil with"]),
            ("4.2", "Confidentiality never prevents a member of staff from passing a safeguarding concern to the Designated Safeguarding Lead.", "may",
             ["p:a kid told me a secret, am I allowed to tell the DSL", "p:can I break confidentiality to report a safeguarding worry", "p:should I tell the dsl even if a child asked me not to"]),
        ]),
        ("## 5. Conduct outside work", [
            ("5.1", "Staff should not behave outside work in a way that would make a reasonable parent doubt their suitability to work with children.", "should_not",
             ["p:does what i do at the weekend matter to school", "p:can I get drunk in town where parents might see", "n:does the code cover my private life"]),
            ("LEAD", "Staff must tell the headteacher promptly if they:", None, []),
            ("(a)", "are arrested, charged, cautioned or convicted of any offence;", "must",
             ["p:do i have to tell school if i got arrested", "p:I got a police caution do I need to tell the head", "p:should I mention a speeding conviction to school"]),
            ("(b)", "become the subject of an investigation by another agency about the safety of children.", "must",
             ["p:social services are looking into my family, do I have to tell work", "p:do I need to report an investigation about my own kids", "n:what must I tell the head about"]),
        ]),
        ("## 6. Use of school property", [
            ("6.1", "School equipment, including laptops, tablets and cameras, is provided for school business and may be used for personal tasks only in breaks and only where that use is lawful and appropriate.", "approval",
             ["p:can I do my online shopping on the school laptop at lunch", "p:is personal use of my work laptop ok", "p:can I book a holiday on the school ipad in my break"]),
            ("6.2", "Staff must not remove school property from the premises without permission, other than equipment issued to them for home use.", "approval",
             ["p:can I borrow the school gazebo for my party", "p:is it ok to take the pe equipment home for the weekend", "p:can i take a projector home"]),
        ]),
        ("## 7. Alcohol and drugs", [
            ("7.1", "Staff must not come to work under the influence of alcohol or illegal drugs, and must not drink alcohol during the working day, including at lunchtime.", "must_not",
             ["p:can I have a pint at lunch on a friday", "p:is a glass of wine at the staff leaving do at lunchtime ok", "p:can I come in if I'm still hungover"]),
            ("7.2", "Staff taking prescribed medicine that may affect their ability to work safely should tell their line manager.", "advised",
             ["p:my new tablets make me drowsy, should I tell someone", "p:do I have to tell my manager about my medication", "n:who do I tell about medicine that affects me"]),
        ]),
        ("## 8. Declaring interests", [
            ("8.1", "Staff must declare any business or personal interest that could conflict with their duties, such as a relative applying for a post or a family connection to a supplier.", "must",
             ["p:my sister applied for a job here do I need to say", "p:should I declare that my husband runs the catering firm", "p:do I need to tell anyone my cousin is a supplier"]),
            ("8.2", "Staff must not take part in recruitment decisions about a relative or close friend.", "must_not",
             ["p:can i sit on the interview panel for my friend", "p:can I interview my niece for a TA job", "p:am I allowed to shortlist my mate"]),
        ]),
        ("## 9. Breach of the code", [
            ("9.1", "A breach of this code may lead to action under the Trust's disciplinary procedure and, in serious cases, to dismissal and referral to the Teaching Regulation Agency.", None,
             ["n:what happens if I break the code of conduct", "n:could I lose my job over the code of conduct", "n:can breaking the code get me reported to the TRA"]),
            ("9.2", "Staff who are worried that a colleague is breaching this code should raise it with the headteacher or use the whistleblowing procedure.", "advised",
             ["p:what should I do if a colleague is breaking the rules", "p:should I report a teacher who gives kids lifts", "n:who do I tell if a colleague breaks the code"]),
        ]),
        ("## Appendix 1: Gifts and hospitality thresholds", [
            ("TABLE", "| Value | What to do |\n|---|---|\n| Up to 25 pounds | Accept; no declaration needed |\n| Over 25 pounds | Declare to the business manager within five days |\n| Cash of any amount | Decline politely |", None, []),
        ]),
        ("## Appendix 2: Declaration", [
            ("", "I have read and understood the Staff Code of Conduct and agree to follow it.", None, []),
            ("", "Signed: ____________________   Date: ____________", None, []),
        ]),
    ],
}
