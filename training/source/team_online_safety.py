"""Online safety policy laid out like a school web page: unnumbered headings, bullets. Our own words."""

DOC = {
    "id": "larkspur-online-safety",
    "title": "Online Safety Policy",
    "front": [
        "Issued by: Larkspur Church of England Primary School",
        "Approved by: Governing Board  Date: March 2025",
        "Next review: March 2026",
    ],
    "sections": [
        ("## Our approach", [
            ("", "We want every child to enjoy the internet safely and to know what to do when something online worries them. This policy covers the school network, school devices and any device used on school trips.", None,
             ["n:what does the online safety policy cover", "n:does the e-safety policy include trips", "n:what is our approach to internet safety"]),
        ]),
        ("## Filtering and monitoring", [
            ("", "The school's internet connection is filtered to block harmful and inappropriate content, and activity on school devices is monitored by the IT provider.", None,
             ["n:is the school wifi filtered", "n:does anyone monitor what i do on the school computers", "n:who monitors activity on school ipads"]),
            ("", "The deputy headteacher reviews the filtering and monitoring reports every week and acts on anything of concern.", None,
             ["n:who checks the filtering reports", "n:how often are monitoring logs looked at", "n:who is responsible for web filtering"]),
            ("LEAD", "Staff should:", None, []),
            ("-", "report to the deputy headteacher at once any website that is blocked when it should not be, or open when it should be blocked", "must",
             ["p:a site that should be blocked isn't, what should i do", "p:do I need to report a website that gets through the filter", "p:should i tell someone if youtube is blocked for a lesson"]),
            ("-", "never try to get around the filtering, for example by using a VPN or a personal hotspot on a school device", "must_not",
             ["p:can I use my phone hotspot on the school laptop to get past the filter", "p:is it ok to use a vpn at school", "p:can i bypass the filter to show a video"]),
        ]),
        ("## Cyberbullying", [
            ("", "Cyberbullying is bullying carried out online or by phone, including name-calling in group chats, sharing embarrassing pictures and leaving someone out on purpose.", None,
             ["n:what counts as cyberbullying", "n:is excluding someone from a group chat bullying", "n:what is online bullying"]),
            ("LEAD", "If a pupil reports cyberbullying, staff must:", None, []),
            ("-", "listen, reassure the pupil that they were right to tell, and record what was said on the school's safeguarding system the same day", "must",
             ["p:a child said they're being bullied on whatsapp, what do i do", "p:do I have to log a cyberbullying report", "p:what should I do when a pupil tells me about online bullying"]),
            ("-", "ask the pupil to keep the messages as evidence rather than deleting them", "must",
             ["p:should the kid delete the nasty messages", "p:do we keep screenshots of bullying", "p:should i tell the child to block and delete"]),
        ]),
        ("## Nude and semi-nude images", [
            ("", "Sharing nude or semi-nude images by or of children is a safeguarding matter and is always referred to the Designated Safeguarding Lead.", None,
             ["n:who deals with sexting", "n:what happens when pupils share nudes", "n:is sharing nudes a safeguarding issue"]),
            ("LEAD", "Staff must not:", None, []),
            ("-", "view, copy, print, forward or save an image that is reported to them, even to show it to a senior colleague", "must_not",
             ["p:a pupil showed me a nude photo, should I screenshot it for the dsl", "p:can I forward the image to the head so they can see it", "p:do I need to look at the picture to check"]),
            ("-", "ask the pupil to delete the image or contact anyone else involved", "must_not",
             ["p:should I make the student delete the photo", "p:can I message the other kid's parents about the image", "p:can I tell the child to get it taken down"]),
        ]),
        ("## Devices in school", [
            ("", "Pupils in Years 5 and 6 who walk home alone may bring a mobile phone, which is handed in at the office in the morning and collected at home time.", "approval",
             ["p:can year 6 bring phones to school", "n:where do pupils leave their phones", "p:is a year 3 allowed a phone"]),
            ("", "Staff may use school tablets to photograph pupils' work and activities for the school's records, but must not store these images on personal devices or cloud accounts.", "must_not",
             ["p:can I save class photos to my own google drive", "p:is it ok to keep pupil pics on my icloud", "p:can I use the school ipad to photograph the class"]),
        ]),
        ("## Livestreams and online lessons", [
            ("", "Livestreamed assemblies or events must be set up by the office so that only invited families can watch, and pupils whose parents have not given image consent must be kept out of camera shot.", "must",
             ["p:can I livestream sports day on facebook live", "p:how do we stream the christmas play", "p:do kids without photo consent have to be out of shot on a livestream"]),
            ("", "Staff must not hold live video calls with individual pupils; any live online teaching must involve a group and be recorded.", "must_not",
             ["p:can i facetime a pupil to help with homework", "p:is a one to one zoom with a child ok", "p:do live online lessons need recording"]),
        ]),
        ("## Working with parents", [
            ("LEAD", "Parents can help by:", None, []),
            ("-", "keeping games consoles and tablets in shared family rooms rather than bedrooms", "advised",
             ["p:should kids have tablets in their bedrooms", "n:what advice do we give parents about consoles", "n:how can parents keep children safe with games"]),
            ("-", "checking the age ratings of games and apps, such as 13 for most social media", "advised",
             ["n:what age can kids have tiktok", "n:what do we tell parents about age ratings", "p:should parents check game age ratings"]),
            ("", "We run an online safety workshop for parents every autumn term and share guidance in the newsletter.", None,
             ["n:when is the parents online safety workshop", "n:do we run sessions for parents about the internet", "n:where do parents get e-safety tips"]),
        ]),
        ("## Reporting an incident", [
            ("", "Any online safety concern about a child must be reported to the Designated Safeguarding Lead on the day it is noticed; concerns about a member of staff go to the headteacher.", "must",
             ["p:who do i tell about something worrying a child saw online", "p:what do i do if i'm worried about a colleague's online behaviour", "p:do I have to report online concerns the same day"]),
            ("", "Incidents are logged and reviewed by the governor for safeguarding each term so patterns can be spotted.", None,
             ["n:who reviews the online safety log", "n:do governors see online incidents", "n:how often are e-safety incidents reviewed"]),
        ]),
        ("## Training", [
            ("", "All staff complete online safety training when they join and receive an update every year, including how filtering and monitoring work.", "must",
             ["n:how often is online safety training", "p:do new staff have to do e-safety training", "n:does training cover filtering"]),
        ]),
    ],
}
