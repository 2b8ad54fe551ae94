"""Trust data protection policy (numbered, definitions, a retention table, a breach procedure). Our own words."""

DOC = {
    "id": "fernlea-data-protection",
    "title": "Data Protection Policy",
    "front": [
        "Issued by: Fernlea Schools Partnership",
        "Approved by: Trust Board  Date: May 2025",
        "Next review: May 2026",
    ],
    "sections": [
        ("## 1. Purpose and scope", [
            ("1.1", "This policy explains how the Trust collects, uses, stores and shares personal data about pupils, parents, staff, governors and visitors in line with the UK GDPR and the Data Protection Act 2018.", None,
             ["n:what law does the data protection policy follow", "n:whose data does the gdpr policy cover", "n:what is the data protection policy about"]),
            ("1.2", "It applies to personal data in any form, including paper files, emails, photographs, CCTV footage and information held in apps.", None,
             ["n:does gdpr cover paper records", "n:is cctv footage personal data", "n:are photos covered by data protection"]),
        ]),
        ("## 2. Roles", [
            ("2.1", "The Trust's Data Protection Officer (DPO) advises on compliance, handles requests from individuals and is the first point of contact for the Information Commissioner's Office.", None,
             ["n:who is the dpo", "n:who handles data requests", "n:who talks to the ICO"]),
            ("2.2", "Every member of staff is responsible for handling personal data carefully and must complete data protection training each year.", "must",
             ["p:do I have to do gdpr training every year", "n:who is responsible for looking after data", "p:is data protection training compulsory"]),
        ]),
        ("## 3. Handling personal data", [
            ("3.1", "Staff must only access the personal data they need for their job and must not look up records out of curiosity, including records about themselves or family members.", "must_not",
             ["p:can I look up my nephew's records on the MIS", "p:is it ok to check a colleague's address on the system", "p:can I search for my own child's file on SIMS"]),
            ("3.2", "Emails containing sensitive personal data, such as medical or safeguarding information, must be sent using the secure email option or as a password-protected attachment.", "must",
             ["p:can I email a child's medical notes to the nurse normally", "p:how should I send safeguarding info by email", "p:do I need to encrypt an email about a pupil's health"]),
            ("3.3", "Staff must not use personal email accounts or messaging apps to send or store personal data about pupils or staff.", "must_not",
             ["p:can I whatsapp the class list to my TA", "p:is it ok to email reports to my gmail to work on at home", "p:can I keep pupil data in my personal dropbox"]),
            ("3.4", "Paper records containing personal data may be taken home only with the headteacher's permission and must be kept out of sight and returned promptly.", "approval",
             ["p:can I take the SEN files home to read", "p:am I allowed to mark books with pupil details at home", "p:can i bring the register home"]),
            ("3.5", "Laptops and USB memory sticks that hold personal data must be encrypted; unencrypted memory sticks must not be used.", "must_not",
             ["p:can I put assessment data on my own usb stick", "p:is an ordinary memory stick ok for reports", "p:does my laptop need to be encrypted"]),
        ]),
        ("## 4. Sharing data", [
            ("4.1", "Personal data may be shared with other organisations only where there is a lawful basis, for example with the local authority, the Department for Education or another school when a pupil moves.", "may",
             ["p:can we send a pupil's file to their new school", "n:who do we share pupil data with", "p:is it ok to give a parent's number to the PTA"]),
            ("4.2", "Staff must not give out personal data over the telephone unless they are sure who the caller is and that they are entitled to it; if in doubt, they should call back through a known number.", "must_not",
             ["p:someone rang saying they're dad and want the address, can I tell them", "p:can i confirm a pupil's address on the phone", "p:what should I do if I'm not sure who's calling for info"]),
        ]),
        ("## 5. Subject access requests", [
            ("5.1", "Anyone may ask to see the personal data the Trust holds about them; the request should be passed to the DPO on the day it is received.", "must",
             ["p:a parent asked for all the info we hold on their child, what do i do", "p:who do I pass a subject access request to", "p:do I have to tell the dpo straight away about a data request"]),
            ("5.2", "The Trust will respond within one calendar month, which may be extended by two further months for complex requests.", None,
             ["n:how long do we have to answer a SAR", "n:what's the deadline for a subject access request", "n:can the time limit be extended"]),
        ]),
        ("## 6. Photographs and CCTV", [
            ("6.1", "Consent is asked for before pupils' photographs are used on the website, in newsletters or on social media, and parents may withdraw consent at any time.", None,
             ["n:do we need consent for photos on the website", "n:can parents withdraw photo consent", "n:when do we ask for image consent"]),
            ("6.2", "CCTV is used for security only; footage is kept for 30 days unless needed for an investigation and may be viewed only by the headteacher and site manager.", None,
             ["n:how long is cctv kept", "n:who can watch the cctv", "n:what is the cctv used for"]),
        ]),
        ("## 7. Data breaches", [
            ("7.1", "Staff must report any actual or suspected data breach, such as an email sent to the wrong person or a lost laptop, to the DPO immediately.", "must",
             ["p:I sent a report to the wrong parent, what should I do", "p:do i need to report losing a memory stick", "p:who do I tell if I lose my school laptop"]),
            ("7.2", "The DPO will decide whether the breach must be reported to the Information Commissioner's Office, which must happen within 72 hours of the Trust becoming aware of it.", None,
             ["n:how quickly do breaches go to the ICO", "n:who decides whether to tell the ico", "n:what is the 72 hour rule"]),
        ]),
        ("## Appendix 1: Retention of records", [
            ("TABLE", "| Record | Retention period | Action at end |\n|---|---|---|\n| Pupil file (primary) | Passed to next school | Transfer securely |\n| Safeguarding records | Until the pupil is 25 | Secure destruction |\n| Staff personnel file | 6 years after leaving | Secure destruction |", None, []),
        ]),
    ],
}
