"""Fixed text and lists used by :mod:`toolkit.synth`: units, item bank, names, comments.

Nothing here is random; :mod:`toolkit.synth` draws from these lists. Kept apart so that the
generator itself stays readable.
"""

from __future__ import annotations

PROGRAMS = (
    "service_excellence",
    "public_communication",
    "leadership",
    "collaboration",
    "disaster_response",
    "digital_services",
)

#: Unit templates: (name, service_type, first trained quarter or None, size weight, frontline).
#: Order interleaves trained and comparison units so that any prefix has both kinds.
UNITS = (
    (
        "Dinas Kependudukan dan Pencatatan Sipil (Disdukcapil)",
        "civil_registry",
        "2024Q1",
        1.4,
        True,
    ),
    ("Dinas Pendidikan", "education", None, 1.3, False),
    ("Badan Penanggulangan Bencana Daerah (BPBD)", "disaster_management", "2024Q1", 1.0, True),
    ("Dinas Kesehatan", "health", "2024Q3", 1.2, False),
    (
        "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu (DPMPTSP)",
        "one_stop_licensing",
        "2024Q1",
        1.1,
        True,
    ),
    ("Dinas Lingkungan Hidup", "environment", None, 1.0, False),
    ("Rumah Sakit Umum Daerah (RSUD) Kota Tanjungpinang", "hospital", "2024Q3", 2.0, True),
    ("Kecamatan Bukit Bestari", "subdistrict", "2024Q1", 0.7, True),
    ("Dinas Sosial", "social_services", "2025Q1", 0.9, True),
    ("Dinas Pekerjaan Umum dan Penataan Ruang (PUPR)", "public_works", None, 1.1, False),
    ("Puskesmas Batu 10", "primary_health", "2024Q3", 0.6, True),
    ("Kecamatan Tanjungpinang Barat", "subdistrict", "2024Q3", 0.7, True),
    ("Satuan Polisi Pamong Praja (Satpol PP)", "public_order", "2025Q1", 1.1, True),
    ("Dinas Perdagangan dan Perindustrian", "trade", None, 0.8, False),
    ("Puskesmas Sei Jang", "primary_health", "2025Q1", 0.6, True),
    ("Kecamatan Tanjungpinang Kota", "subdistrict", "2025Q1", 0.7, True),
    ("Dinas Perhubungan", "transport", "2025Q3", 1.0, True),
    ("Kecamatan Tanjungpinang Timur", "subdistrict", None, 0.7, True),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (BKPSDM)",
        "civil_service_hr",
        "2025Q3",
        0.8,
        False,
    ),
    ("Puskesmas Kampung Bugis", "primary_health", None, 0.6, True),
)

SERVICE_TYPES = (
    "civil_registry",
    "disaster_management",
    "health",
    "hospital",
    "primary_health",
    "one_stop_licensing",
    "social_services",
    "transport",
    "education",
    "public_order",
    "environment",
    "public_works",
    "trade",
    "subdistrict",
    "civil_service_hr",
)
HEALTH_TYPES = ("health", "hospital", "primary_health")

#: Reaction items: (code, construct, text_id, text_en, scale_min, scale_max).
REACTION_ITEMS = (
    (
        "R01",
        "relevance",
        "Materi pelatihan relevan dengan pekerjaan saya.",
        "The training content is relevant to my job.",
        1,
        5,
    ),
    (
        "R02",
        "content",
        "Materi disusun dengan jelas dan mudah dipahami.",
        "The content was clearly organised and easy to understand.",
        1,
        5,
    ),
    (
        "R03",
        "trainer",
        "Narasumber menguasai materi dan menyampaikannya dengan baik.",
        "The trainer knew the subject and presented it well.",
        1,
        5,
    ),
    (
        "R04",
        "method",
        "Metode pembelajaran membantu saya memahami materi.",
        "The learning method helped me understand the content.",
        1,
        5,
    ),
    (
        "R05",
        "facilities",
        "Sarana dan prasarana pelatihan (ruangan, peralatan) memadai.",
        "The training facilities (room, equipment) were adequate.",
        1,
        5,
    ),
    (
        "R06",
        "time_allocation",
        "Alokasi waktu pelatihan sesuai dengan kebutuhan materi.",
        "The time allocated suited the content.",
        1,
        5,
    ),
    (
        "R07",
        "intention_to_apply",
        "Saya berniat menerapkan hasil pelatihan dalam pekerjaan sehari-hari.",
        "I intend to apply what I learned in my daily work.",
        1,
        5,
    ),
    (
        "R08",
        "recommend",
        "Seberapa besar kemungkinan Anda merekomendasikan pelatihan ini kepada rekan kerja? "
        "(0 = sangat tidak mungkin, 10 = sangat mungkin)",
        "How likely are you to recommend this training to a colleague? "
        "(0 = not at all likely, 10 = extremely likely)",
        0,
        10,
    ),
)

#: Knowledge-test items, ten per programme: (code prefix, [(text_id, text_en), ...]).
TEST_ITEMS = {
    "service_excellence": (
        "SE",
        (
            (
                "Undang-undang yang menjadi dasar penyelenggaraan pelayanan publik adalah …",
                "The law that governs public service delivery is …",
            ),
            (
                "Komponen standar pelayanan yang wajib diumumkan kepada masyarakat meliputi …",
                "Service-standard components that must be published include …",
            ),
            ("Maklumat pelayanan berisi …", "A service pledge (maklumat pelayanan) contains …"),
            (
                "Langkah pertama menangani pengguna layanan yang marah adalah …",
                "The first step in handling an angry service user is …",
            ),
            (
                "Indeks Kepuasan Masyarakat (IKM) diukur menurut PermenPANRB Nomor …",
                "The public satisfaction index (IKM) is measured under PermenPANRB number …",
            ),
            (
                "Prinsip pelayanan yang menekankan kepastian waktu penyelesaian disebut …",
                "The service principle that stresses certainty of completion time is …",
            ),
            (
                "Contoh pelayanan yang inklusif bagi penyandang disabilitas adalah …",
                "An example of service that includes people with disabilities is …",
            ),
            (
                "Pengaduan masyarakat wajib ditindaklanjuti paling lambat …",
                "Public complaints must be followed up within at most …",
            ),
            (
                "Sikap 5S dalam pelayanan (senyum, salam, sapa, sopan, santun) bertujuan …",
                "The 5S attitude in service (smile, greet, address, polite, courteous) aims to …",
            ),
            (
                "Informasi biaya layanan yang benar kepada pemohon adalah …",
                "Correct information on service fees for an applicant is …",
            ),
        ),
    ),
    "public_communication": (
        "PC",
        (
            (
                "Ciri bahasa yang mudah dipahami masyarakat adalah …",
                "A feature of language the public understands easily is …",
            ),
            ("Teknik mendengarkan aktif ditunjukkan dengan …", "Active listening is shown by …"),
            (
                "Saat menyampaikan persyaratan layanan, petugas sebaiknya …",
                "When explaining service requirements, staff should …",
            ),
            (
                "Unsur pesan yang efektif di media sosial instansi adalah …",
                "An element of an effective message on the agency's social media is …",
            ),
            (
                "Pertanyaan yang belum diketahui jawabannya sebaiknya dijawab dengan …",
                "A question you cannot yet answer is best met with …",
            ),
            (
                "Komunikasi nonverbal yang mendukung pelayanan adalah …",
                "Non-verbal communication that supports service is …",
            ),
            (
                "Informasi publik yang dikecualikan diatur dalam UU Nomor …",
                "Exempted public information is regulated by Law number …",
            ),
            (
                "Tujuan parafrase dalam percakapan dengan warga adalah …",
                "The purpose of paraphrasing in a conversation with a citizen is …",
            ),
            (
                "Siaran pers yang baik memuat unsur 5W+1H, yaitu …",
                "A good press release covers the 5W+1H, that is …",
            ),
            (
                "Hambatan komunikasi yang paling sering terjadi di loket layanan adalah …",
                "The most frequent communication barrier at the service counter is …",
            ),
        ),
    ),
    "leadership": (
        "LD",
        (
            (
                "Gaya kepemimpinan yang menyesuaikan arahan dengan kesiapan anggota tim disebut …",
                "The leadership style that adapts direction to team members' readiness is …",
            ),
            ("Umpan balik yang efektif bersifat …", "Effective feedback is …"),
            (
                "Sasaran Kinerja Pegawai (SKP) disusun berdasarkan …",
                "Employee performance targets (SKP) are set from …",
            ),
            (
                "Delegasi wewenang yang tepat dilakukan dengan …",
                "Delegating authority well means …",
            ),
            (
                "Nilai dasar ASN BerAKHLAK terdiri atas …",
                "The ASN core values BerAKHLAK consist of …",
            ),
            (
                "Langkah awal pengambilan keputusan yang sistematis adalah …",
                "The first step of systematic decision-making is …",
            ),
            (
                "Coaching berbeda dari mentoring karena …",
                "Coaching differs from mentoring because …",
            ),
            (
                "Konflik dalam tim sebaiknya ditangani dengan …",
                "Team conflict is best handled by …",
            ),
            (
                "Indikator kinerja yang baik memenuhi kriteria SMART, yaitu …",
                "A good performance indicator meets the SMART criteria, that is …",
            ),
            (
                "Peran pemimpin dalam manajemen perubahan adalah …",
                "The leader's role in change management is …",
            ),
        ),
    ),
    "collaboration": (
        "CO",
        (
            ("Kolaborasi antarinstansi bertujuan …", "Collaboration between agencies aims to …"),
            (
                "Prasyarat kerja sama tim yang efektif adalah …",
                "A precondition for effective teamwork is …",
            ),
            (
                "Pembagian peran dalam tim lintas unit dituangkan dalam …",
                "Role division in a cross-unit team is written down in …",
            ),
            (
                "Contoh layanan terintegrasi di Mal Pelayanan Publik adalah …",
                "An example of integrated service in a Public Service Mall is …",
            ),
            (
                "Rapat koordinasi yang efektif diakhiri dengan …",
                "An effective coordination meeting ends with …",
            ),
            (
                "Berbagi data antarinstansi harus memperhatikan …",
                "Sharing data between agencies must respect …",
            ),
            ("Ego sektoral dapat dikurangi dengan …", "Sectoral silos can be reduced by …"),
            (
                "Tahap pembentukan tim menurut Tuckman adalah …",
                "The stages of team development according to Tuckman are …",
            ),
            (
                "Kesepakatan kerja sama antardaerah dituangkan dalam …",
                "A cooperation agreement between regions is set out in …",
            ),
            (
                "Manfaat utama kolaborasi bagi masyarakat adalah …",
                "The main benefit of collaboration for the public is …",
            ),
        ),
    ),
    "disaster_response": (
        "DR",
        (
            (
                "Tahapan penanggulangan bencana meliputi …",
                "The stages of disaster management are …",
            ),
            ("Jalur evakuasi yang baik memenuhi syarat …", "A good evacuation route must …"),
            (
                "Sistem komando tanggap darurat dipimpin oleh …",
                "The emergency-response command system is led by …",
            ),
            (
                "Tindakan pertama saat terjadi kebakaran di kantor adalah …",
                "The first action when a fire breaks out in the office is …",
            ),
            (
                "Kaji cepat (rapid assessment) dilakukan dalam waktu …",
                "A rapid assessment is carried out within …",
            ),
            (
                "Ancaman bencana yang paling sering di wilayah pesisir Kepulauan Riau adalah …",
                "The most frequent hazard in the coastal areas of the Riau Islands is …",
            ),
            (
                "Isi tas siaga bencana minimal memuat …",
                "A disaster go-bag should contain at least …",
            ),
            (
                "Korban dengan kode merah dalam triase berarti …",
                "A casualty coded red in triage means …",
            ),
            (
                "Pos komando tanggap darurat berfungsi untuk …",
                "The emergency command post serves to …",
            ),
            (
                "Simulasi evakuasi sebaiknya dievaluasi dengan …",
                "An evacuation drill is best evaluated through …",
            ),
        ),
    ),
    "digital_services": (
        "DS",
        (
            (
                "Sistem Pemerintahan Berbasis Elektronik (SPBE) diatur dalam Perpres Nomor …",
                "E-government (SPBE) is regulated by Presidential Regulation number …",
            ),
            ("Kata sandi yang aman memiliki ciri …", "A secure password has …"),
            (
                "Tanda tangan elektronik tersertifikasi diterbitkan oleh …",
                "Certified electronic signatures are issued by …",
            ),
            (
                "Data pribadi pemohon layanan dilindungi oleh UU Nomor …",
                "Applicants' personal data are protected by Law number …",
            ),
            ("Ciri surel phishing adalah …", "A sign of a phishing e-mail is …"),
            (
                "Keuntungan layanan daring bagi masyarakat adalah …",
                "An advantage of online services for the public is …",
            ),
            (
                "Format berkas yang tepat untuk mengunggah dokumen resmi adalah …",
                "The right file format for uploading official documents is …",
            ),
            (
                "Langkah pertama ketika aplikasi layanan mengalami gangguan adalah …",
                "The first step when the service application fails is …",
            ),
            ("Dasbor layanan digunakan untuk …", "A service dashboard is used to …"),
            (
                "Prinsip Satu Data Indonesia menekankan …",
                "The One Data Indonesia principle stresses …",
            ),
        ),
    ),
}

#: Competencies rated at Level 3: (construct, [(text_id, text_en), (text_id, text_en)]).
COMPETENCIES = (
    (
        "service_communication",
        (
            (
                "Menyapa dan melayani masyarakat dengan ramah dan sopan.",
                "Greets and serves citizens in a friendly, polite way.",
            ),
            (
                "Mendengarkan kebutuhan masyarakat sampai selesai sebelum menanggapi.",
                "Listens to citizens' needs fully before responding.",
            ),
        ),
    ),
    (
        "explaining_procedures",
        (
            ("Menjelaskan prosedur layanan dengan jelas.", "Explains service procedures clearly."),
            (
                "Menyampaikan persyaratan secara lengkap sejak awal sehingga masyarakat tidak "
                "perlu bolak-balik.",
                "Gives the full list of requirements at the start, so citizens need not come back.",
            ),
        ),
    ),
    (
        "collaboration",
        (
            (
                "Berkoordinasi dengan unit lain untuk menyelesaikan permohonan masyarakat.",
                "Coordinates with other units to complete citizens' requests.",
            ),
            (
                "Berbagi informasi dan pengetahuan dengan rekan kerja.",
                "Shares information and knowledge with colleagues.",
            ),
        ),
    ),
    (
        "leadership",
        (
            (
                "Memberikan arahan dan umpan balik yang jelas kepada anggota tim.",
                "Gives team members clear direction and feedback.",
            ),
            (
                "Memantau capaian kinerja tim dan menindaklanjuti hambatan.",
                "Monitors the team's performance and acts on obstacles.",
            ),
        ),
    ),
    (
        "disaster_response_procedure",
        (
            (
                "Menjalankan prosedur tanggap darurat sesuai SOP.",
                "Carries out emergency-response procedures according to the SOP.",
            ),
            (
                "Memeriksa kesiapan peralatan dan jalur evakuasi secara berkala.",
                "Checks equipment readiness and evacuation routes regularly.",
            ),
        ),
    ),
    (
        "digital_service_delivery",
        (
            (
                "Memproses permohonan melalui aplikasi layanan daring tanpa bantuan.",
                "Processes requests in the online service application without help.",
            ),
            (
                "Membantu masyarakat menggunakan layanan daring.",
                "Helps citizens use online services.",
            ),
        ),
    ),
)

#: Competencies observed after each programme (Level 3 items are those competencies' items).
PROGRAM_COMPETENCIES = {
    "service_excellence": ("service_communication", "explaining_procedures"),
    "public_communication": ("service_communication", "explaining_procedures"),
    "leadership": ("leadership", "collaboration"),
    "collaboration": ("collaboration",),
    "disaster_response": ("disaster_response_procedure",),
    "digital_services": ("digital_service_delivery", "explaining_procedures"),
}

#: Required drivers (New World Kirkpatrick), rated by the participant at follow-ups.
DRIVERS = (
    (
        "driver_supervisor_support",
        "Atasan saya mendorong dan memantau penerapan hasil pelatihan.",
        "My supervisor encourages and monitors the use of what I learned.",
    ),
    (
        "driver_opportunity_to_apply",
        "Saya mendapat kesempatan menerapkan hasil pelatihan dalam tugas sehari-hari.",
        "I have the opportunity to apply what I learned in my daily tasks.",
    ),
    (
        "driver_resources",
        "Sarana, aplikasi, dan waktu yang diperlukan untuk menerapkan hasil pelatihan tersedia.",
        "The equipment, applications and time needed to apply what I learned are available.",
    ),
    (
        "driver_recognition",
        "Penerapan hasil pelatihan dihargai dalam penilaian kinerja saya.",
        "Applying what I learned is recognised in my performance appraisal.",
    ),
)

#: IKM element constructs (English slug of each element, in schema.IKM_ELEMENTS order).
IKM_CONSTRUCTS = (
    "requirements",
    "procedures",
    "completion_time",
    "cost",
    "product_specification",
    "staff_competence",
    "staff_behaviour",
    "complaint_handling",
    "facilities",
)

#: Fake names for the raw roster (common Indonesian names, some Malay/Riau flavour).
FIRST_NAMES = {
    "M": (
        "Ahmad",
        "Muhammad",
        "Rizky",
        "Hendra",
        "Fajar",
        "Arif",
        "Dedi",
        "Budi",
        "Irwan",
        "Syahrul",
        "Zulkifli",
        "Hafiz",
        "Andi",
        "Agus",
        "Yusuf",
        "Firman",
        "Taufik",
        "Iskandar",
        "Rahmat",
        "Raja Fadli",
    ),
    "F": (
        "Siti",
        "Nur",
        "Dewi",
        "Putri",
        "Fitri",
        "Yuliana",
        "Rina",
        "Sri",
        "Wulan",
        "Ayu",
        "Nurhayati",
        "Maya",
        "Indah",
        "Rahmawati",
        "Dian",
        "Eka",
        "Ratna",
        "Suryani",
        "Zahra",
        "Tengku Aisyah",
    ),
}
LAST_NAMES = {
    "M": (
        "Saputra",
        "Hidayat",
        "Pratama",
        "Kurniawan",
        "Wijaya",
        "Ramadhan",
        "Syahputra",
        "Firmansyah",
        "Nasution",
        "Siregar",
        "Harahap",
        "Lubis",
        "Hasibuan",
        "Effendi",
        "Abdullah",
    ),
    "F": (
        "Handayani",
        "Rahayu",
        "Anggraini",
        "Wahyuni",
        "Lestari",
        "Permatasari",
        "Puspitasari",
        "Maharani",
        "Nasution",
        "Siregar",
        "Lubis",
        "Ramadhani",
        "Safitri",
        "Oktaviani",
        "Kartika",
    ),
}

#: Comment themes and the keyword pattern (case-insensitive regular expression) that finds
#: each one exactly in the generated comments: every sentence of a theme matches its own
#: pattern and no other theme's.
COMMENT_KEYWORDS = {
    "time": r"\b(?:waktu|jadwal)",
    "speaker": r"\b(?:narasumber|pemateri)",
    "materials": r"\b(?:materi|modul)",
    "facilities": r"\b(?:ruangan|ac|proyektor)\b",
    "relevance": r"\b(?:relevan|bermanfaat untuk pekerjaan)",
}
COMMENT_THEMES = tuple(COMMENT_KEYWORDS)

#: Sentences per theme: (negative, positive).
COMMENT_SENTENCES = {
    "time": (
        (
            "Jadwal pelatihan bentrok dengan pekerjaan di kantor.",
            "Waktunya terlalu singkat untuk isi sebanyak ini.",
            "Saya sering harus keluar kelas karena jadwal pelayanan di loket.",
            "Mohon jadwal diatur agar tidak di jam sibuk pelayanan.",
            "Waktu pelaksanaan kurang tepat, bertepatan dengan akhir bulan.",
            "Jadwalnya mepet sehingga banyak yang terlambat datang.",
            "waktu istirahat terlalu pendek",
            "Sebaiknya jadwal dibuat lebih fleksibel.",
        ),
        (
            "Jadwalnya pas dan tidak mengganggu pelayanan.",
            "Waktu pelatihan cukup dan tepat.",
            "Jadwal sore hari sangat membantu kami yang bertugas di loket.",
            "Pembagian waktu antar sesi sudah baik.",
        ),
    ),
    "speaker": (
        (
            "Narasumber terlalu banyak membaca slide.",
            "Narasumber kurang memberi contoh kasus nyata.",
            "Pemateri terburu-buru dan kurang interaktif.",
            "Narasumber kurang menguasai kondisi pelayanan di daerah.",
            "Sebaiknya narasumber didatangkan dari luar.",
        ),
        (
            "Narasumber sangat menguasai dan komunikatif.",
            "Pemateri menyampaikan dengan jelas dan menarik.",
            "Narasumber memberi banyak contoh dari pengalaman lapangan.",
            "Narasumbernya sabar menjawab pertanyaan peserta.",
            "Terima kasih kepada narasumber yang luar biasa.",
        ),
    ),
    "materials": (
        (
            "Materi terlalu teoritis.",
            "Modul terlambat dibagikan.",
            "Materinya terlalu padat.",
            "Modul kurang lengkap dan banyak salah ketik.",
            "materi sebagian besar sudah pernah saya dapat",
        ),
        (
            "Materinya mudah dipahami.",
            "Modul lengkap dan bisa dipelajari lagi di kantor.",
            "Materi disusun runtut dan praktis.",
            "Materi studi kasusnya menarik.",
        ),
    ),
    "facilities": (
        (
            "Ruangan panas karena AC tidak dingin.",
            "Proyektor beberapa kali mati.",
            "Ruangan terlalu sempit untuk jumlah peserta.",
            "Suara kurang jelas di bagian belakang ruangan.",
            "AC terlalu dingin.",
            "Proyektor buram sehingga tulisan sulit dibaca.",
        ),
        (
            "Ruangan nyaman.",
            "Ruangan dan proyektor sudah memadai.",
        ),
    ),
    "relevance": (
        (
            "Kurang relevan dengan tugas saya di bagian teknis.",
            "Sebagian isi kurang relevan dengan kondisi di unit kami.",
        ),
        (
            "Sangat relevan dengan tugas saya di loket.",
            "Bermanfaat untuk pekerjaan sehari-hari melayani masyarakat.",
            "Pelatihan ini relevan dan langsung bisa diterapkan.",
            "Sangat bermanfaat untuk pekerjaan saya.",
            "Relevan dengan kebutuhan unit kami.",
        ),
    ),
}

#: Comments that name no theme (a commenter who picked none).
COMMENT_GENERIC = (
    "Terima kasih, semoga pelatihan seperti ini terus diadakan.",
    "Secara umum sudah baik.",
    "Mohon diadakan lagi tahun depan.",
    "Semoga ada tindak lanjutnya.",
    "Sudah bagus, pertahankan.",
    "Lanjutkan!",
    "Tidak ada saran.",
    "Semoga ada pelatihan lanjutan untuk tingkat berikutnya.",
)

#: Cost-line descriptions (Indonesian), by category.
COST_DESCRIPTIONS = {
    "needs_analysis": "Analisis kebutuhan pelatihan (AKP)",
    "design_development": "Desain dan pengembangan kurikulum serta bahan ajar",
    "facilitator_fees": "Honorarium narasumber/fasilitator",
    "materials": "Penggandaan modul dan bahan pelatihan",
    "venue_catering": "Konsumsi dan tempat pelatihan",
    "travel_accommodation": "Perjalanan dan akomodasi narasumber dari luar daerah",
    "participant_salaries": "Gaji dan tunjangan peserta selama jam pelatihan (JP hadir x tarif)",
    "evaluation": "Evaluasi pascapelatihan (survei, wawancara atasan, analisis)",
    "overhead": "Biaya umum dan administrasi penyelenggaraan",
}
