"""Word and phrase banks for the synthetic news pages, written for this project.

The sentences they make are news-like in shape (who did what, where, with a number and
a quote) so that language identification, shingling and extraction see prose rather
than noise, and varied enough (millions of combinations per sentence) that unrelated
synthetic articles share almost no 5-word shingles.
"""

from __future__ import annotations

EN_ACTORS = (
    "The prime minister", "The finance minister", "The foreign minister", "The central bank",
    "The health ministry", "The irrigation minister", "The governor of the province",
    "A government spokesman", "The opposition leader", "The national football team",
    "The state railway company", "The electricity ministry", "Local farmers", "Port officials",
    "The chamber of commerce", "A group of economists", "The stock exchange", "The tourism board",
    "The education minister", "Civil defence teams", "The United Nations envoy",
    "The parliament speaker", "A senior diplomat", "The housing ministry", "Union leaders",
    "The transport authority", "A regional court", "The antiquities council", "The trade minister",
    "Aid organisations", "The planning ministry", "The agriculture ministry", "City engineers",
)
EN_VERBS = (
    "announced", "reviewed", "discussed", "approved", "rejected", "postponed", "launched",
    "welcomed", "criticised", "signed", "unveiled", "inspected", "extended", "suspended",
    "proposed", "completed", "defended", "outlined", "expanded", "questioned", "confirmed",
    "celebrated", "finalised", "renewed", "reported on", "called for", "warned about",
)
EN_OBJECTS = (
    "a new water treatment plan", "the budget for the coming fiscal year", "a cooperation agreement",
    "the expansion of the metro line", "a programme to support small businesses",
    "the price of subsidised bread", "new rules for ride-hailing apps", "a solar power project",
    "the restoration of a historic mosque", "a trade deal with neighbouring countries",
    "the results of the national census", "plans for a new administrative capital",
    "a vaccination campaign in rural areas", "the reopening of the border crossing",
    "a strategy to cut food waste", "the construction of two desalination plants",
    "a loan from an international lender", "new school curricula", "the cotton harvest forecast",
    "a digital payment system for pensions", "the renovation of the central train station",
    "measures to curb inflation", "a festival of independent cinema", "the fishing season rules",
    "an investigation into a factory fire", "a plan to plant a million trees",
    "the schedule of the league season", "a tender for wind farms on the coast",
    "an exhibition of ancient jewellery", "the annual report on air quality",
)
EN_PLACES = (
    "in Cairo", "in Alexandria", "in Aswan", "in Luxor", "in Port Said", "in Suez", "in Ismailia",
    "in Tanta", "in Mansoura", "in Assiut", "in Minya", "in Hurghada", "in Marsa Matrouh",
    "in the Nile Delta", "in North Sinai", "in the New Valley", "in Giza", "in Damietta",
    "in Sohag", "in Fayoum", "in Beni Suef", "in Qena", "at the Red Sea coast", "in Zagazig",
)
EN_TIMES = (
    "on Monday", "on Tuesday", "on Wednesday", "on Thursday", "on Friday", "on Saturday",
    "on Sunday", "earlier this week", "late on Thursday", "this morning", "last month",
    "after a two-hour meeting", "during a press conference", "in a televised statement",
)
EN_CLAUSES = (
    "according to a statement seen by reporters", "officials said", "sources told the agency",
    "in a move welcomed by residents", "despite objections from several members",
    "as part of a wider reform package", "amid rising costs", "ahead of the summer season",
    "following months of negotiations", "with support from international partners",
    "in response to public complaints", "to meet growing demand", "without giving details",
)
EN_NUMBERS = (
    "1.2 billion pounds", "350 million dollars", "12 percent", "4,500 new jobs", "27 villages",
    "three years", "18 months", "2,000 megawatts", "60,000 tonnes", "150 kilometres",
    "7.5 percent", "95 schools", "40,000 families", "six new hospitals", "11 provinces",
)
EN_QUOTES = (
    "We are committed to finishing the work on time", "This is an important step for the economy",
    "The plan will benefit millions of citizens", "We expect the first results by the end of the year",
    "There is still a lot of work to do", "Our priority is the safety of the workers",
    "The talks were constructive and frank", "Prices will be reviewed every three months",
)
EN_SPEAKERS = (
    "the minister said", "a spokeswoman said", "the official told reporters", "he added",
    "she said in a statement", "the head of the committee said", "an economist said",
)
EN_HEADLINE_SUBJECTS = (
    "Egypt", "Cabinet", "Central bank", "Parliament", "Health ministry", "Football federation",
    "Tourism board", "Railway authority", "Exporters", "Farmers", "Stock market", "Investors",
    "Governor", "Court", "Electricity grid", "Archaeologists", "Universities", "Port authority",
)
EN_HEADLINE_PREDICATES = (
    "approves new investment law", "opens talks on debt relief", "unveils plan for green hydrogen",
    "reports record wheat harvest", "delays decision on fuel prices", "signs deal with European partners",
    "launches campaign against hepatitis", "expands metro to eastern suburbs",
    "discovers three ancient tombs", "raises interest rates by 100 basis points",
    "warns of heat wave this week", "cuts red tape for exporters", "targets 15 million tourists",
    "inaugurates new bridge over the Nile", "reviews progress on phosphate complex",
    "announces winners of national science prize", "extends deadline for tax filings",
)
EN_FIRST_NAMES = (
    "Ahmed", "Mona", "Karim", "Salma", "Omar", "Nadia", "Youssef", "Laila", "Hassan", "Dina",
    "Tarek", "Rania", "Sherif", "Heba", "Mahmoud", "Amira", "Khaled", "Noha", "Sameh", "Yasmine",
)
EN_LAST_NAMES = (
    "Hassan", "Mostafa", "Farouk", "Abdel Aziz", "El-Sayed", "Kamel", "Mansour", "Fahmy", "Saleh",
    "Ibrahim", "Nasser", "Gamal", "Ragab", "Soliman", "Zaki", "Hamdy", "Shawky", "Lotfy",
)

AR_ACTORS = (
    "رئيس الوزراء", "وزير المالية", "وزير الخارجية", "البنك المركزي", "وزارة الصحة", "وزير الري",
    "محافظ الإقليم", "المتحدث باسم الحكومة", "زعيم المعارضة", "المنتخب الوطني لكرة القدم",
    "هيئة السكك الحديدية", "وزارة الكهرباء", "المزارعون المحليون", "مسؤولو الميناء", "الغرفة التجارية",
    "مجموعة من الاقتصاديين", "البورصة المصرية", "هيئة تنشيط السياحة", "وزير التربية والتعليم",
    "فرق الدفاع المدني", "المبعوث الأممي", "رئيس مجلس النواب", "دبلوماسي رفيع", "وزارة الإسكان",
    "قادة النقابات", "هيئة النقل", "محكمة إقليمية", "المجلس الأعلى للآثار", "وزير التجارة",
)
AR_VERBS = (
    "أعلن", "راجع", "ناقش", "وافق على", "رفض", "أجل", "أطلق", "رحب ب", "انتقد", "وقع", "كشف عن",
    "تفقد", "مدد", "علق", "اقترح", "أنجز", "دافع عن", "عرض", "وسع", "أكد", "جدد", "حذر من",
)
AR_OBJECTS = (
    "خطة جديدة لمعالجة المياه", "موازنة العام المالي المقبل", "اتفاقية تعاون", "توسعة خط المترو",
    "برنامجا لدعم المشروعات الصغيرة", "سعر الخبز المدعم", "قواعد جديدة لتطبيقات النقل",
    "مشروعا للطاقة الشمسية", "ترميم مسجد تاريخي", "اتفاقا تجاريا مع الدول المجاورة",
    "نتائج التعداد السكاني", "خطط العاصمة الإدارية الجديدة", "حملة تطعيم في القرى",
    "إعادة فتح المعبر الحدودي", "استراتيجية للحد من هدر الغذاء", "إنشاء محطتين لتحلية المياه",
    "قرضا من مؤسسة دولية", "مناهج دراسية جديدة", "توقعات محصول القطن", "نظاما رقميا لصرف المعاشات",
    "تجديد محطة القطارات الرئيسية", "إجراءات لكبح التضخم", "مهرجانا للسينما المستقلة",
    "قواعد موسم الصيد", "تحقيقا في حريق مصنع", "خطة لزراعة مليون شجرة", "جدول الدوري الممتاز",
)
AR_PLACES = (
    "في القاهرة", "في الإسكندرية", "في أسوان", "في الأقصر", "في بورسعيد", "في السويس", "في الإسماعيلية",
    "في طنطا", "في المنصورة", "في أسيوط", "في المنيا", "في الغردقة", "في مرسى مطروح", "في دلتا النيل",
    "في شمال سيناء", "في الوادي الجديد", "في الجيزة", "في دمياط", "في سوهاج", "في الفيوم",
)
AR_TIMES = (
    "يوم الاثنين", "يوم الثلاثاء", "يوم الأربعاء", "يوم الخميس", "يوم الجمعة", "يوم السبت", "يوم الأحد",
    "في وقت سابق من هذا الأسبوع", "صباح اليوم", "الشهر الماضي", "بعد اجتماع استمر ساعتين",
    "خلال مؤتمر صحفي", "في بيان متلفز",
)
AR_CLAUSES = (
    "وفقا لبيان اطلعت عليه الصحف", "بحسب مسؤولين", "حسبما أفادت مصادر", "في خطوة رحب بها السكان",
    "رغم اعتراض عدد من الأعضاء", "في إطار حزمة إصلاحات أوسع", "وسط ارتفاع التكاليف",
    "قبل بدء موسم الصيف", "بعد أشهر من المفاوضات", "بدعم من شركاء دوليين", "استجابة لشكاوى المواطنين",
)
AR_NUMBERS = (
    "1.2 مليار جنيه", "350 مليون دولار", "12 في المائة", "4500 فرصة عمل", "27 قرية", "ثلاث سنوات",
    "18 شهرا", "2000 ميجاوات", "60 ألف طن", "150 كيلومترا", "95 مدرسة", "40 ألف أسرة", "ست مستشفيات",
)
AR_QUOTES = (
    "نحن ملتزمون بإنهاء العمل في موعده", "هذه خطوة مهمة للاقتصاد", "ستفيد الخطة ملايين المواطنين",
    "نتوقع النتائج الأولى بنهاية العام", "ما زال أمامنا الكثير من العمل", "أولويتنا هي سلامة العمال",
)
AR_SPEAKERS = ("قال الوزير", "قالت المتحدثة", "صرح المسؤول للصحفيين", "وأضاف", "قال رئيس اللجنة")
AR_HEADLINE_SUBJECTS = (
    "مصر", "مجلس الوزراء", "البنك المركزي", "البرلمان", "وزارة الصحة", "اتحاد الكرة", "هيئة السياحة",
    "السكك الحديدية", "المصدرون", "المزارعون", "البورصة", "المستثمرون", "المحافظ", "المحكمة",
)
AR_HEADLINE_PREDICATES = (
    "يوافق على قانون الاستثمار الجديد", "يبدأ محادثات لتخفيف الديون", "يكشف خطة للهيدروجين الأخضر",
    "يعلن محصولا قياسيا من القمح", "يؤجل قرار أسعار الوقود", "يوقع اتفاقا مع شركاء أوروبيين",
    "يطلق حملة ضد الالتهاب الكبدي", "يوسع المترو إلى الضواحي الشرقية", "يكتشف ثلاث مقابر أثرية",
    "يرفع أسعار الفائدة", "يحذر من موجة حارة", "يستهدف 15 مليون سائح", "يفتتح جسرا جديدا على النيل",
)

# Publications as the aggregator names them, with the site each one publishes on; the
# first ones are in the builder's registry (so their names are canonicalized), the last
# ones are not (so records keep the page's own name).
EN_PUBLICATIONS = (
    ("Ahram Online", "english.ahram.org.eg"), ("Daily News Egypt", "dailynewsegypt.com"),
    ("Egypt Independent", "egyptindependent.com"), ("Egypt Today", "egypttoday.com"),
    ("Reuters", "reuters.com"), ("Nile Valley Courier", "nilevalleycourier.example"),
    ("Delta Business Review", "deltabusiness.example"),
)
AR_PUBLICATIONS = (
    ("الأهرام", "gate.ahram.org.eg"), ("المصري اليوم", "almasryalyoum.com"),
    ("اليوم السابع", "youm7.com"), ("الشروق", "shorouknews.com"),
    ("صوت الصعيد", "sawtalsaeed.example"),
)

# Page furniture around HTML articles: what an extractor must leave out.
NAV_SECTIONS = ("Home", "Politics", "Economy", "Business", "Sports", "Culture", "World", "Opinion",
                "Health", "Technology", "Video", "Photo galleries", "Contact us")
AD_TEXTS = ("Advertisement", "Sponsored content", "Subscribe to our newsletter for daily updates",
            "Download our app for breaking news alerts", "Special offer: 50% off digital access")
COMMENT_TEXTS = ("Great article, thanks for sharing.", "This is not what happened at all.",
                 "When will the project be finished?", "Prices keep going up every month.",
                 "Finally some good news for our city.", "I disagree with the minister.")
COMMENTER_NAMES = ("reader2020", "nile_fan", "Sara M.", "observer", "Hany K.", "citizen_x")
