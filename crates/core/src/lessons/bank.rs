//! erbij's own dilemmas, written for Dutch classrooms from the situations in the article
//! "Buitengesloten op social media" (see `PRODUCT.md`). Compiled into the binary, in Dutch
//! and English. Ids are stable: a finished session refers to them; add new ones at the end.
//!
//! How they are written: the situation is ordinary and recognisable, nobody in it is a
//! villain, every choice is one a real pupil might make (including the easy one), and the
//! questions ask about feelings and reasons rather than for the right answer.

use super::{
    AgeGroup, BankLanguage, Dilemma, DilemmaSource, LessonError, SCHOOL_DILEMMA_ID_OFFSET,
};
use crate::platform::AccessError;
use crate::{Platform, SchoolId};

/// Dutch and English.
struct T(&'static str, &'static str);

struct Entry {
    id: i64,
    theme: T,
    title: T,
    situation: T,
    choices: &'static [T],
    questions: &'static [T],
    ages: &'static [AgeGroup],
    age_note: T,
}

use super::AgeGroup::{Groep78 as G78, OnderbouwVo as OVO};

const BOTH: &[AgeGroup] = &[G78, OVO];
const PO: &[AgeGroup] = &[G78];
const VO: &[AgeGroup] = &[OVO];

const ENTRIES: &[Entry] = &[
    Entry {
        id: 1,
        theme: T("Feestje zonder Mila", "Party without Mila"),
        title: T(
            "Toegevoegd aan ‘Feestje zonder Mila’",
            "Added to ‘Party without Mila’",
        ),
        situation: T(
            "Je wordt toegevoegd aan een nieuwe groep: ‘Feestje zonder Mila’. Ook Mila zit erin. Een minuut later haalt iemand haar eruit. In de groep verschijnen lachende emoji’s.",
            "You are added to a new group: ‘Party without Mila’. Mila is in it too. A minute later someone removes her. Laughing emojis appear in the group.",
        ),
        choices: &[
            T(
                "Ik zeg niets en lees alleen mee",
                "I say nothing and just read along",
            ),
            T(
                "Ik schrijf in de groep dat ik dit niet oké vind",
                "I write in the group that this is not okay",
            ),
            T("Ik verlaat de groep", "I leave the group"),
            T(
                "Ik stuur Mila zelf een berichtje",
                "I send Mila a message myself",
            ),
        ],
        questions: &[
            T(
                "Hoe denk je dat Mila zich voelde in die ene minuut?",
                "How do you think Mila felt during that one minute?",
            ),
            T(
                "Waarom is iets zeggen in de groep zo moeilijk, ook als je het er niet mee eens bent?",
                "Why is speaking up in the group so hard, even when you disagree?",
            ),
            T(
                "Wat zou jij willen dat een ander doet als het over jou ging?",
                "What would you want someone else to do if it were about you?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Goed als opening van de les: herkenbaar vanaf groep 7.",
            "A good opening for the lesson: recognisable from groep 7 (age 10).",
        ),
    },
    Entry {
        id: 2,
        theme: T("Uit de klassenapp gegooid", "Removed from the class group"),
        title: T(
            "Daan is uit de klassenapp",
            "Daan has been removed from the class group",
        ),
        situation: T(
            "In de klassenapp staat ineens: ‘Sanne heeft Daan verwijderd’. Niemand reageert. Morgen is er een toets en in de groep worden de antwoorden van het huiswerk gedeeld.",
            "The class group suddenly shows: ‘Sanne removed Daan’. Nobody reacts. There is a test tomorrow and the homework answers are being shared in the group.",
        ),
        choices: &[
            T(
                "Niets doen, het is niet mijn ruzie",
                "Do nothing, it is not my fight",
            ),
            T(
                "Aan Sanne vragen waarom ze dat deed",
                "Ask Sanne why she did it",
            ),
            T(
                "Daan het huiswerk apart sturen",
                "Send Daan the homework separately",
            ),
            T("Het tegen de mentor zeggen", "Tell the mentor"),
        ],
        questions: &[
            T(
                "Wat mist Daan allemaal nu hij niet meer in de groep zit?",
                "What is Daan missing now that he is not in the group?",
            ),
            T(
                "Mag één iemand bepalen wie er in de klassenapp zit? Wie zou dat wel mogen?",
                "May one person decide who is in the class group? Who should decide?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Geschikt voor groep 7-8 en de onderbouw; in de onderbouw kun je doorpraten over beheerdersrechten.",
            "Suits groep 7-8 and lower secondary; with older pupils, talk about admin rights.",
        ),
    },
    Entry {
        id: 3,
        theme: T(
            "Nieuwe groep zonder één leerling",
            "A new group without one pupil",
        ),
        title: T(
            "‘2B echt’: iedereen behalve Noor",
            "‘2B for real’: everyone except Noor",
        ),
        situation: T(
            "Iemand maakt een nieuwe groep ‘2B echt’. De hele klas zit erin, behalve Noor. In de oude klassenapp is het nu stil. Je wordt toegevoegd.",
            "Someone creates a new group ‘2B for real’. The whole class is in it, except Noor. The old class group has gone quiet. You are added.",
        ),
        choices: &[
            T(
                "Ik blijf erin, iedereen zit er toch in",
                "I stay, everyone is in it anyway",
            ),
            T(
                "Ik vraag waarom Noor er niet in zit",
                "I ask why Noor is not in it",
            ),
            T("Ik voeg Noor zelf toe", "I add Noor myself"),
            T(
                "Ik blijf de oude klassenapp gebruiken",
                "I keep using the old class group",
            ),
        ],
        questions: &[
            T(
                "Noor ziet dat de oude groep stil is geworden. Wat denkt ze?",
                "Noor sees the old group has gone quiet. What does she think?",
            ),
            T(
                "Is er een verschil tussen een groep voor vrienden en een groep voor de klas?",
                "Is there a difference between a group for friends and a group for the class?",
            ),
            T(
                "Wat zou er gebeuren als drie mensen tegelijk iets zeggen?",
                "What would happen if three people spoke up at the same time?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Werkt in alle klassen; in groep 7-8 vaak nog heel actueel rond verjaardagen.",
            "Works in every class; in groep 7-8 often tied to birthdays.",
        ),
    },
    Entry {
        id: 4,
        theme: T(
            "Roddelen over wie er niet bij is",
            "Gossip about someone who is not there",
        ),
        title: T(
            "Praten over Yusuf, terwijl hij er niet in zit",
            "Talking about Yusuf while he is not in the group",
        ),
        situation: T(
            "In een groep zonder Yusuf gaat het over zijn kleding. Eerst grappig, dan steeds gemener. Iemand vraagt: ‘Toch? Jij vindt het toch ook?’ en noemt jouw naam.",
            "In a group without Yusuf, people talk about his clothes. Funny at first, then meaner. Someone asks: ‘Right? You think so too?’ and mentions your name.",
        ),
        choices: &[
            T(
                "Ik stuur een lachende emoji terug",
                "I send a laughing emoji back",
            ),
            T("Ik verander van onderwerp", "I change the subject"),
            T(
                "Ik zeg dat ik het niet leuk vind zo",
                "I say I don't like this",
            ),
            T("Ik reageer niet", "I don't respond"),
        ],
        questions: &[
            T(
                "Waarom is meedoen soms makkelijker dan niet meedoen?",
                "Why is joining in sometimes easier than not joining in?",
            ),
            T(
                "Verandert het iets dat Yusuf het niet kan lezen?",
                "Does it change anything that Yusuf cannot read it?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Geschikt vanaf groep 7; in de onderbouw ook over uiterlijk en afkomst.",
            "Suits groep 7 and up; with older pupils also about looks and background.",
        ),
    },
    Entry {
        id: 5,
        theme: T("Bewust niet liken", "Deliberately not liking"),
        title: T("Niemand liket Amira’s post", "Nobody likes Amira's post"),
        situation: T(
            "Amira plaatst een foto van haar nieuwe kapsel. Je ziet dat bijna iedereen uit de klas het gezien heeft, maar niemand liket. In een andere groep staat: ‘niet liken hè 😂’.",
            "Amira posts a photo of her new haircut. You see almost the whole class has seen it, but nobody likes it. In another group someone wrote: ‘don't like it ok 😂’.",
        ),
        choices: &[
            T("Ik like hem toch", "I like it anyway"),
            T("Ik doe mee en like niet", "I go along and don't like it"),
            T(
                "Ik vraag in die andere groep waarom",
                "I ask in the other group why",
            ),
        ],
        questions: &[
            T(
                "Is niet liken hetzelfde als iets gemeens zeggen?",
                "Is not liking something the same as saying something mean?",
            ),
            T(
                "Hoe weet Amira dat het expres is? En als ze het niet zeker weet?",
                "How would Amira know it is on purpose? And if she is not sure?",
            ),
            T(
                "Hoeveel telt een like eigenlijk voor jullie?",
                "How much does a like actually count for you?",
            ),
        ],
        ages: VO,
        age_note: T(
            "Vooral voor de onderbouw vo (Instagram, TikTok); in groep 8 alleen als de klas al op social media zit.",
            "Mostly for lower secondary (Instagram, TikTok); in groep 8 only if the class already uses social media.",
        ),
    },
    Entry {
        id: 6,
        theme: T("Samen ontvolgen", "Unfollowing together"),
        title: T(
            "‘Iedereen ontvolgt Jesse om 8 uur’",
            "‘Everyone unfollows Jesse at 8’",
        ),
        situation: T(
            "In een groep wordt afgesproken: vanavond om acht uur ontvolgt iedereen Jesse tegelijk. ‘Dan snapt hij het wel.’ Je volgt Jesse al sinds groep 5.",
            "A group agrees: tonight at eight, everyone unfollows Jesse at the same time. ‘Then he'll get it.’ You have followed Jesse since you were eight.",
        ),
        choices: &[
            T("Ik doe mee", "I join in"),
            T(
                "Ik doe niet mee, maar zeg niets",
                "I don't join in, but say nothing",
            ),
            T(
                "Ik zeg in de groep dat ik niet meedoe",
                "I say in the group that I won't join",
            ),
            T("Ik waarschuw Jesse", "I warn Jesse"),
        ],
        questions: &[
            T(
                "Wat ‘snapt’ Jesse volgens de groep? En wat snapt hij echt?",
                "What is Jesse supposed to ‘get’? And what will he actually feel?",
            ),
            T(
                "Waarom werkt iets samen tegelijk doen zo hard?",
                "Why does doing it all at once hit so hard?",
            ),
        ],
        ages: VO,
        age_note: T(
            "Onderbouw vo; voor groep 7-8 kun je ‘ontvolgen’ vervangen door ‘uit de game-groep halen’.",
            "Lower secondary; for groep 7-8 replace ‘unfollow’ with ‘remove from the game group’.",
        ),
    },
    Entry {
        id: 7,
        theme: T("Zelf buitengesloten", "Being the one left out"),
        title: T(
            "Jij ziet de foto’s van het feest",
            "You see the photos of the party",
        ),
        situation: T(
            "Op zaterdag zie je in stories foto’s van een feestje. Bijna je hele klas is er. Jij wist er niets van. Maandag doet iedereen normaal tegen je.",
            "On Saturday you see photos of a party in people's stories. Almost your whole class is there. You knew nothing about it. On Monday everyone acts normal towards you.",
        ),
        choices: &[
            T(
                "Ik doe alsof ik het niet gezien heb",
                "I pretend I didn't see it",
            ),
            T(
                "Ik vraag een vriend(in) hoe het zit",
                "I ask a friend what happened",
            ),
            T(
                "Ik vertel het thuis of aan de mentor",
                "I tell someone at home or the mentor",
            ),
            T("Ik laat merken dat ik boos ben", "I show that I am angry"),
        ],
        questions: &[
            T(
                "Waarom doen mensen vaak alsof het niets is als ze buitengesloten worden?",
                "Why do people often act as if nothing happened when they are left out?",
            ),
            T(
                "Wat zou je tegen iemand zeggen die dit meemaakt?",
                "What would you say to someone this happens to?",
            ),
            T(
                "Niet iedereen hoeft overal bij te zijn. Wanneer wordt het buitensluiten?",
                "Not everyone has to be invited to everything. When does it become exclusion?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor alle leeftijden; let op leerlingen voor wie dit te dichtbij komt en bespreek het zonder namen.",
            "For all ages; watch for pupils for whom this is too close to home, and discuss it without names.",
        ),
    },
    Entry {
        id: 8,
        theme: T("Screenshot doorsturen", "Forwarding a screenshot"),
        title: T(
            "‘Stuur even een screenshot door’",
            "‘Just forward me a screenshot’",
        ),
        situation: T(
            "Lotte stuurde in een privégesprek met jou iets persoonlijks over haar ouders. Een klasgenoot heeft gehoord dat ze ‘iets raars’ zei en vraagt je om een screenshot.",
            "In a private chat Lotte told you something personal about her parents. A classmate heard she said ‘something weird’ and asks you for a screenshot.",
        ),
        choices: &[
            T(
                "Ik stuur het door, het is maar één screenshot",
                "I forward it, it's just one screenshot",
            ),
            T("Ik weiger en zeg waarom", "I refuse and say why"),
            T(
                "Ik zeg dat ik het niet meer heb",
                "I say I don't have it any more",
            ),
            T(
                "Ik vertel Lotte dat iemand erom vroeg",
                "I tell Lotte someone asked for it",
            ),
        ],
        questions: &[
            T(
                "Van wie is een bericht dat iemand alleen aan jou stuurde?",
                "Who does a message belong to that someone sent only to you?",
            ),
            T(
                "Wat kan er met een screenshot gebeuren als hij eenmaal weg is?",
                "What can happen to a screenshot once it has been sent on?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Geschikt vanaf groep 7; sluit aan bij mediawijsheid en privacy.",
            "Suits groep 7 and up; connects to media literacy and privacy.",
        ),
    },
    Entry {
        id: 9,
        theme: T("De beheerder ‘ruimt op’", "The admin ‘cleans up’"),
        title: T("Emre ruimt de groep op", "Emre cleans up the group"),
        situation: T(
            "Emre is beheerder van de voetbalgroep. Hij schrijft: ‘Ik ruim even op, wie niet actief is gaat eruit.’ Daarna zijn drie kinderen weg, allemaal uit dezelfde klas.",
            "Emre is the admin of the football group. He writes: ‘Cleaning up, whoever isn't active is out.’ Then three kids are gone, all from the same class.",
        ),
        choices: &[
            T("Prima, hij is de beheerder", "Fine, he is the admin"),
            T(
                "Ik vraag Emre waarom juist zij",
                "I ask Emre why those three",
            ),
            T(
                "Ik stel voor om samen regels voor de groep te maken",
                "I suggest making rules for the group together",
            ),
        ],
        questions: &[
            T(
                "Wat mag een beheerder wel en wat niet?",
                "What may an admin do, and what not?",
            ),
            T(
                "Hoe kun je zien of ‘opruimen’ een smoes is?",
                "How can you tell whether ‘cleaning up’ is an excuse?",
            ),
            T(
                "Welke afspraak zou jullie klassenapp over beheerders kunnen maken?",
                "What agreement could your class group make about admins?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Sterk als opstap naar de klassenafspraken, in alle leerjaren.",
            "A strong step towards the class agreements, in every year.",
        ),
    },
    Entry {
        id: 10,
        theme: T("Genegeerd in de groep", "Ignored in the group"),
        title: T("Niemand reageert op Fatima", "Nobody responds to Fatima"),
        situation: T(
            "Als Fatima iets in de klassenapp vraagt, reageert niemand. Als iemand anders vijf minuten later hetzelfde vraagt, krijgt die meteen tien antwoorden. Dit gebeurt al weken.",
            "When Fatima asks something in the class group, nobody answers. When someone else asks the same five minutes later, they get ten answers at once. This has gone on for weeks.",
        ),
        choices: &[
            T("Ik heb het niet echt gemerkt", "I hadn't really noticed"),
            T(
                "Ik reageer voortaan op haar berichten",
                "From now on I reply to her messages",
            ),
            T(
                "Ik zeg er iets van in de groep",
                "I say something about it in the group",
            ),
            T(
                "Ik vraag Fatima hoe het met haar gaat",
                "I ask Fatima how she is doing",
            ),
        ],
        questions: &[
            T(
                "Is negeren pesten, als niemand iets gemeens zegt?",
                "Is ignoring bullying, if nobody says anything mean?",
            ),
            T(
                "Hoe lang kun je het volhouden om steeds genegeerd te worden?",
                "How long could you keep going if you were ignored all the time?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor groep 7-8 en onderbouw; het onderzoek van Kip Williams (twee minuten buitengesloten doet pijn) past hier goed bij.",
            "For groep 7-8 and lower secondary; Kip Williams' research (two minutes of exclusion hurts) fits here.",
        ),
    },
    Entry {
        id: 11,
        theme: T("Een bijnaam", "A nickname"),
        title: T("De bijnaam van Bram", "Bram's nickname"),
        situation: T(
            "In de groep noemt iedereen Bram ‘Brillo’. Bram stuurde een keer ‘haha’ terug. Nu staat het zelfs in de naam van een groep. Jij gebruikt het ook weleens.",
            "In the group everyone calls Bram ‘Goggles’. Bram once replied ‘haha’. Now it is even in a group's name. You use it sometimes too.",
        ),
        choices: &[
            T(
                "Het is een grapje, hij lachte zelf ook",
                "It's a joke, he laughed too",
            ),
            T("Ik stop ermee", "I stop using it"),
            T(
                "Ik vraag Bram wat hij ervan vindt",
                "I ask Bram what he thinks of it",
            ),
        ],
        questions: &[
            T(
                "Betekent ‘haha’ terugsturen dat iemand het leuk vindt?",
                "Does replying ‘haha’ mean someone likes it?",
            ),
            T(
                "Wanneer wordt een bijnaam een manier om iemand kleiner te maken?",
                "When does a nickname become a way to make someone smaller?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Geschikt voor alle leeftijden; een bijnaam is ook een van de signalen uit het artikel.",
            "Suits all ages; a nickname is also one of the warning signs in the article.",
        ),
    },
    Entry {
        id: 12,
        theme: T("Foto zonder toestemming", "A photo without consent"),
        title: T("De foto uit de gymles", "The photo from PE class"),
        situation: T(
            "Iemand heeft in de kleedkamer stiekem een foto van Tess gemaakt en er een sticker op gezet. Hij gaat rond in twee groepen. Jij krijgt hem ook.",
            "Someone secretly took a photo of Tess in the changing room and added a sticker. It is going round two groups. You get it too.",
        ),
        choices: &[
            T("Ik kijk en verwijder hem", "I look and delete it"),
            T(
                "Ik stuur hem niet door en zeg dat het niet kan",
                "I don't forward it and say it's not okay",
            ),
            T("Ik meld het bij de mentor", "I report it to the mentor"),
            T(
                "Ik stuur hem door naar één vriend(in)",
                "I forward it to one friend",
            ),
        ],
        questions: &[
            T(
                "Wat kan Tess doen als ze het weet? Wat kan de school doen?",
                "What can Tess do if she finds out? What can the school do?",
            ),
            T(
                "Waarom is doorsturen naar ‘maar één iemand’ toch doorsturen?",
                "Why is forwarding to ‘just one person’ still forwarding?",
            ),
            T(
                "Wat weet je over de regels voor foto’s van anderen?",
                "What do you know about the rules for photos of others?",
            ),
        ],
        ages: VO,
        age_note: T(
            "Onderbouw vo. Tip: noem dat naaktfoto’s van minderjarigen nooit gedeeld mogen worden, ook niet om te melden; vraag dan een volwassene om hulp.",
            "Lower secondary. Tip: say that nude images of minors must never be shared, not even to report them; ask an adult for help instead.",
        ),
    },
    Entry {
        id: 13,
        theme: T("Teams in een game", "Teams in a game"),
        title: T("Weer als laatste gekozen", "Picked last again"),
        situation: T(
            "Na school spelen jullie online. Twee kinderen kiezen teams in de chat. Kevin wordt elke keer als laatste gekozen en schrijft nu: ‘laat maar, ik speel niet’.",
            "After school you play online. Two kids pick teams in the chat. Kevin is picked last every time and now writes: ‘never mind, I'm not playing’.",
        ),
        choices: &[
            T(
                "Oké, dan spelen we zonder hem",
                "Okay, then we play without him",
            ),
            T("Ik vraag Kevin in mijn team", "I ask Kevin onto my team"),
            T(
                "Ik stel voor om teams te loten",
                "I suggest drawing teams at random",
            ),
        ],
        questions: &[
            T(
                "Hoe voelt het om steeds als laatste gekozen te worden?",
                "How does it feel to always be picked last?",
            ),
            T(
                "Wat verandert er als teams geloot worden? Wat niet?",
                "What changes if teams are drawn at random? What doesn't?",
            ),
        ],
        ages: PO,
        age_note: T(
            "Vooral voor groep 7-8; ook bruikbaar in klas 1.",
            "Mainly for groep 7-8; also usable in the first year of secondary school.",
        ),
    },
    Entry {
        id: 14,
        theme: T("Feest in de story", "A party in the story"),
        title: T("De uitnodiging in je story", "The invitation in your story"),
        situation: T(
            "Je geeft een feestje voor tien vrienden. Je wilt een filmpje van de versiering in je story zetten. De hele klas volgt je, ook wie niet is uitgenodigd.",
            "You are having a party for ten friends. You want to post a video of the decorations in your story. The whole class follows you, including those who are not invited.",
        ),
        choices: &[
            T(
                "Ik zet het gewoon in mijn story",
                "I just post it in my story",
            ),
            T(
                "Ik deel het alleen met ‘Goede vrienden’",
                "I share it only with ‘Close friends’",
            ),
            T(
                "Ik zet pas foto’s na afloop, zonder er veel over te zeggen",
                "I post photos only afterwards, without making a big deal",
            ),
        ],
        questions: &[
            T(
                "Je mag zelf weten wie je uitnodigt. Wat is het verschil met iemand buitensluiten?",
                "You may choose who you invite. What is the difference with excluding someone?",
            ),
            T(
                "Hoe houd je rekening met wie er niet bij is?",
                "How do you take into account those who weren't there?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor alle leeftijden; een dilemma zonder ‘fout’ antwoord, goed voor nuance.",
            "For all ages; a dilemma without a ‘wrong’ answer, good for nuance.",
        ),
    },
    Entry {
        id: 15,
        theme: T("Kiezen tussen vrienden", "Choosing between friends"),
        title: T(
            "‘Als je haar vriendin bent, ga je eruit’",
            "‘If you're her friend, you leave’",
        ),
        situation: T(
            "Je beste vriendin heeft ruzie met Sanne. Ze vraagt je de groep te verlaten waar Sanne in zit: ‘Anders sta je aan haar kant.’ Je vindt Sanne eigenlijk wel aardig.",
            "Your best friend is fighting with Sanne. She asks you to leave the group Sanne is in: ‘Otherwise you're on her side.’ You actually like Sanne.",
        ),
        choices: &[
            T(
                "Ik ga eruit, mijn vriendin gaat voor",
                "I leave, my friend comes first",
            ),
            T("Ik blijf en leg uit waarom", "I stay and explain why"),
            T(
                "Ik probeer ze met elkaar te laten praten",
                "I try to get them to talk to each other",
            ),
        ],
        questions: &[
            T(
                "Kun je met twee mensen bevriend zijn die ruzie hebben?",
                "Can you be friends with two people who are fighting?",
            ),
            T(
                "Wat gebeurt er met een klas als iedereen een kant moet kiezen?",
                "What happens to a class when everyone has to pick a side?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Vooral herkenbaar in groep 8 en klas 1.",
            "Especially recognisable in groep 8 and the first year of secondary.",
        ),
    },
    Entry {
        id: 16,
        theme: T("Een poll in de groep", "A poll in the group"),
        title: T(
            "De poll ‘Wie is het irritantst?’",
            "The poll ‘Who is most annoying?’",
        ),
        situation: T(
            "Iemand zet een poll in de klassenapp: ‘Wie is het irritantst van de klas?’ met vier namen. Er zijn al twaalf stemmen. De vier zitten zelf ook in de groep.",
            "Someone posts a poll in the class group: ‘Who is the most annoying in class?’ with four names. There are already twelve votes. The four are in the group too.",
        ),
        choices: &[
            T(
                "Ik stem niet, maar zeg ook niets",
                "I don't vote, but don't say anything",
            ),
            T(
                "Ik schrijf dat dit echt niet kan",
                "I write that this is really not okay",
            ),
            T("Ik stem, het is maar een grap", "I vote, it's only a joke"),
            T(
                "Ik vraag de beheerder om de poll weg te halen",
                "I ask the admin to delete the poll",
            ),
        ],
        questions: &[
            T(
                "Wat doet zo’n poll met de vier die erin staan, ook als ze lachen?",
                "What does a poll like that do to the four people in it, even if they laugh?",
            ),
            T(
                "Twaalf mensen stemden. Hoeveel zouden er echt achter staan?",
                "Twelve people voted. How many of them really meant it?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Geschikt voor groep 7-8 en onderbouw.",
            "Suits groep 7-8 and lower secondary.",
        ),
    },
    Entry {
        id: 17,
        theme: T("‘Grapje!’", "‘Just kidding!’"),
        title: T("‘Grapje hoor 😉’", "‘Just kidding 😉’"),
        situation: T(
            "Na een gemene opmerking over Omar schrijft de afzender: ‘grapje hoor 😉’. Omar reageert niet meer. Later zegt iemand: ‘Hij kan ook nergens tegen.’",
            "After a nasty remark about Omar, the sender writes: ‘just kidding 😉’. Omar stops responding. Later someone says: ‘He can't take anything.’",
        ),
        choices: &[
            T(
                "Ik vind ook dat Omar moet kunnen lachen",
                "I also think Omar should be able to laugh",
            ),
            T("Ik zeg dat het geen grapje was", "I say it wasn't a joke"),
            T("Ik stuur Omar een berichtje", "I send Omar a message"),
        ],
        questions: &[
            T(
                "Wie bepaalt of iets een grapje is: wie het zegt of over wie het gaat?",
                "Who decides if something is a joke: the one who says it or the one it's about?",
            ),
            T(
                "Waarom zegt iemand ‘grapje’ achteraf?",
                "Why does someone say ‘just kidding’ afterwards?",
            ),
        ],
        ages: BOTH,
        age_note: T("Voor alle leeftijden.", "For all ages."),
    },
    Entry {
        id: 18,
        theme: T("Een nieuwe leerling", "A new pupil"),
        title: T(
            "Zofia is nieuw en wil in de groep",
            "Zofia is new and wants to join the group",
        ),
        situation: T(
            "Zofia zit sinds twee weken in de klas. Ze vraagt in de pauze of ze in de klassenapp mag. Iemand zegt: ‘Eerst even kijken hoe ze is.’",
            "Zofia joined the class two weeks ago. At break she asks if she can join the class group. Someone says: ‘Let's see what she's like first.’",
        ),
        choices: &[
            T("Ik voeg haar meteen toe", "I add her straight away"),
            T(
                "Ik wacht af wat de anderen doen",
                "I wait and see what the others do",
            ),
            T(
                "Ik zeg dat de klassenapp voor de hele klas is",
                "I say the class group is for the whole class",
            ),
        ],
        questions: &[
            T(
                "Wat is een klassenapp eigenlijk? Van wie is hij?",
                "What is a class group for? Who does it belong to?",
            ),
            T(
                "Hoe was het voor jou om ergens nieuw te zijn?",
                "What was it like for you to be new somewhere?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor alle leeftijden; goed aan het begin van het schooljaar.",
            "For all ages; good at the start of the school year.",
        ),
    },
    Entry {
        id: 19,
        theme: T("Zelf te ver gegaan", "Having gone too far yourself"),
        title: T(
            "Jij stuurde het gemene bericht",
            "You sent the mean message",
        ),
        situation: T(
            "Gisteravond stuurde jij in een groep iets gemeens over Naomi. Iedereen reageerde met lachjes. Vanochtend zie je dat Naomi stil in de klas zit. Je hebt er spijt van.",
            "Last night you sent something mean about Naomi in a group. Everyone reacted with laughs. This morning you see Naomi sitting quietly in class. You regret it.",
        ),
        choices: &[
            T(
                "Ik verwijder het bericht en zeg verder niets",
                "I delete the message and say nothing else",
            ),
            T("Ik bied Naomi mijn excuses aan", "I apologise to Naomi"),
            T(
                "Ik schrijf in de groep dat het niet oké was",
                "I write in the group that it wasn't okay",
            ),
            T("Niets, het waait wel over", "Nothing, it will blow over"),
        ],
        questions: &[
            T(
                "Waarom is sorry zeggen zo moeilijk?",
                "Why is saying sorry so hard?",
            ),
            T(
                "Is een verwijderd bericht ook echt weg?",
                "Is a deleted message really gone?",
            ),
            T(
                "Wat heeft Naomi nodig om zich weer veilig te voelen in de klas?",
                "What does Naomi need to feel safe in class again?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor alle leeftijden; laat de klas zich verplaatsen in degene die het stuurde, zonder te beschuldigen.",
            "For all ages; let the class take the sender's perspective, without blaming.",
        ),
    },
    Entry {
        id: 20,
        theme: T("Melden", "Reporting"),
        title: T("Is vertellen verklikken?", "Is telling snitching?"),
        situation: T(
            "Je weet dat Lucas al weken uit alle groepen wordt gehouden en dat er over hem gepraat wordt. Je twijfelt of je het de mentor vertelt. ‘Wie klikt, ligt eruit,’ zegt iemand.",
            "You know Lucas has been kept out of every group for weeks and people talk about him. You wonder whether to tell the mentor. ‘Snitches are out,’ someone says.",
        ),
        choices: &[
            T("Ik vertel het de mentor", "I tell the mentor"),
            T(
                "Ik vertel het thuis en laat mijn ouders het doen",
                "I tell my parents and let them do it",
            ),
            T(
                "Ik zeg niets, dat is veiliger",
                "I say nothing, that's safer",
            ),
            T(
                "Ik vraag eerst aan Lucas wat hij wil",
                "I first ask Lucas what he wants",
            ),
        ],
        questions: &[
            T(
                "Wat is het verschil tussen klikken en hulp halen?",
                "What is the difference between snitching and getting help?",
            ),
            T(
                "Wie kun je op onze school in vertrouwen iets vertellen?",
                "Who can you confide in at our school?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor alle leeftijden; noem het aanspreekpunt pesten en de vertrouwenspersoon van de school, en De Kindertelefoon (0800-0432).",
            "For all ages; name the school's anti-bullying contact and confidential adviser, and De Kindertelefoon (0800-0432).",
        ),
    },
    Entry {
        id: 21,
        theme: T("Iedereen verlaat de groep", "Everyone leaves the group"),
        title: T(
            "Iedereen gaat eruit als Sem erin komt",
            "Everyone leaves when Sem joins",
        ),
        situation: T(
            "Sem wordt toegevoegd aan een groep voor het werkstuk. Binnen een minuut verlaten vier anderen de groep. Alleen jij en Sem zitten er nog in.",
            "Sem is added to a group for the school project. Within a minute four others leave. Only you and Sem are left.",
        ),
        choices: &[
            T("Ik ga er ook uit", "I leave too"),
            T("Ik blijf en werk met Sem", "I stay and work with Sem"),
            T(
                "Ik vertel de docent dat de groep niet werkt",
                "I tell the teacher the group isn't working",
            ),
        ],
        questions: &[
            T(
                "Wat zegt het weggaan van vier mensen zonder woorden?",
                "What does four people leaving say without words?",
            ),
            T(
                "Wat zou er gebeuren als jij blijft?",
                "What would happen if you stayed?",
            ),
        ],
        ages: BOTH,
        age_note: T(
            "Voor groep 7-8 en onderbouw.",
            "For groep 7-8 and lower secondary.",
        ),
    },
    Entry {
        id: 22,
        theme: T("Locatie op de kaart", "Location on the map"),
        title: T(
            "Op de kaart zie je iedereen bij elkaar",
            "On the map you see everyone together",
        ),
        situation: T(
            "Op Snap Map zie je dat zes klasgenoten zaterdagmiddag bij elkaar zijn. Je had gevraagd of iemand iets wilde doen, maar iedereen had ‘geen tijd’.",
            "On Snap Map you see six classmates together on Saturday afternoon. You had asked if anyone wanted to do something, but everyone ‘was busy’.",
        ),
        choices: &[
            T("Ik zeg er niets over", "I say nothing about it"),
            T(
                "Ik stuur een screenshot van de kaart in de groep",
                "I post a screenshot of the map in the group",
            ),
            T(
                "Ik vraag één van hen wat er aan de hand is",
                "I ask one of them what is going on",
            ),
            T(
                "Ik zet mijn locatie uit en kijk er niet meer naar",
                "I turn off my location and stop looking",
            ),
        ],
        questions: &[
            T(
                "Wat laat je allemaal zien als je locatie aan staat?",
                "What do you show when your location is on?",
            ),
            T(
                "Hoe kun je laten merken dat je iemand mist zonder ruzie te maken?",
                "How can you show you feel left out without starting a fight?",
            ),
        ],
        ages: VO,
        age_note: T(
            "Onderbouw vo; sluit aan bij privacy en mediawijsheid.",
            "Lower secondary; connects to privacy and media literacy.",
        ),
    },
    Entry {
        id: 23,
        theme: T(
            "Toegevoegd en meteen verwijderd",
            "Added and removed at once",
        ),
        title: T(
            "Een ‘grap’ met toevoegen en verwijderen",
            "A ‘prank’ of adding and removing",
        ),
        situation: T(
            "In de klassenapp wordt Jayden steeds toegevoegd en weer verwijderd. ‘Jayden heeft de groep verlaten’, ‘Jayden is toegevoegd’... Het is al tien keer gebeurd. De groep vindt het hilarisch.",
            "In the class group Jayden keeps being added and removed. ‘Jayden left’, ‘Jayden was added’... It has happened ten times. The group finds it hilarious.",
        ),
        choices: &[
            T(
                "Ik lach mee, Jayden lacht ook",
                "I laugh along, Jayden laughs too",
            ),
            T("Ik vraag of ze willen stoppen", "I ask them to stop"),
            T("Ik stuur Jayden een berichtje", "I message Jayden"),
        ],
        questions: &[
            T(
                "Wanneer is een grap nog leuk voor iedereen?",
                "When is a prank still fun for everyone?",
            ),
            T(
                "Waarom lacht iemand mee met een grap over zichzelf?",
                "Why does someone laugh along with a joke about themselves?",
            ),
        ],
        ages: PO,
        age_note: T(
            "Groep 7-8; in klas 1 ook herkenbaar.",
            "Groep 7-8; also recognisable in the first year of secondary.",
        ),
    },
    Entry {
        id: 24,
        theme: T("Ouders lezen mee", "Parents read along"),
        title: T(
            "Je moeder ziet de klassenapp",
            "Your mum sees the class group",
        ),
        situation: T(
            "Je moeder leest over je schouder mee en ziet de berichten over Julia. Ze wil de ouders van de klas mailen. Jij bent bang dat iedereen dan weet dat het via jou kwam.",
            "Your mum reads over your shoulder and sees the messages about Julia. She wants to email the class's parents. You are afraid everyone will know it came from you.",
        ),
        choices: &[
            T("Ik vraag haar het niet te doen", "I ask her not to"),
            T(
                "Ik vraag haar eerst de mentor te bellen",
                "I ask her to call the mentor first",
            ),
            T(
                "Ik vind het goed, het moet stoppen",
                "I agree, it has to stop",
            ),
        ],
        questions: &[
            T(
                "Wie kan helpen als het in de groepsapp misgaat: ouders, school, de klas zelf?",
                "Who can help when things go wrong in the group chat: parents, school, the class itself?",
            ),
            T(
                "Hoe kun je hulp vragen zonder dat jij het middelpunt wordt?",
                "How can you get help without becoming the centre of attention?",
            ),
        ],
        ages: PO,
        age_note: T(
            "Vooral groep 7-8, waar ouders vaak nog meelezen; ook bruikbaar in klas 1.",
            "Mainly groep 7-8, where parents often still read along; also usable in the first year of secondary.",
        ),
    },
];

/// How many dilemmas the bank holds.
pub const BANK_SIZE: usize = ENTRIES.len();

fn pick(text: &T, language: BankLanguage) -> String {
    match language {
        BankLanguage::Dutch => text.0.to_string(),
        BankLanguage::English => text.1.to_string(),
    }
}

/// The bank in one language, in order.
pub(super) fn dilemmas(language: BankLanguage) -> Vec<Dilemma> {
    ENTRIES
        .iter()
        .map(|e| Dilemma {
            id: e.id,
            source: DilemmaSource::Bank,
            theme: pick(&e.theme, language),
            title: pick(&e.title, language),
            situation: pick(&e.situation, language),
            choices: e.choices.iter().map(|c| pick(c, language)).collect(),
            questions: e.questions.iter().map(|q| pick(q, language)).collect(),
            ages: e.ages.to_vec(),
            age_note: pick(&e.age_note, language),
            hidden: false,
        })
        .collect()
}

/// How many choices a dilemma of this school has (for checking a vote).
pub(super) fn choice_count(
    platform: &Platform,
    school: SchoolId,
    id: i64,
) -> Result<i64, LessonError> {
    if id < SCHOOL_DILEMMA_ID_OFFSET {
        return ENTRIES
            .iter()
            .find(|e| e.id == id)
            .map(|e| i64::try_from(e.choices.len()).unwrap_or(0))
            .ok_or(LessonError::Access(AccessError::NotFound));
    }
    platform
        .store()
        .school_dilemmas(school)?
        .into_iter()
        .find(|d| d.id + SCHOOL_DILEMMA_ID_OFFSET == id)
        .map(|d| i64::try_from(d.choices.len()).unwrap_or(0))
        .ok_or(LessonError::Access(AccessError::NotFound))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_holds_at_least_twenty_complete_dilemmas_in_both_languages() {
        assert!(ENTRIES.len() >= 20);
        let mut ids = std::collections::HashSet::new();
        for e in ENTRIES {
            assert!(ids.insert(e.id), "duplicate id {}", e.id);
            assert!(e.id > 0 && e.id < SCHOOL_DILEMMA_ID_OFFSET);
            assert!((2..=4).contains(&e.choices.len()), "dilemma {}", e.id);
            assert!((2..=3).contains(&e.questions.len()), "dilemma {}", e.id);
            assert!(!e.ages.is_empty(), "dilemma {}", e.id);
            for t in [&e.title, &e.situation, &e.theme, &e.age_note]
                .into_iter()
                .chain(e.choices)
                .chain(e.questions)
            {
                assert!(
                    !t.0.trim().is_empty() && !t.1.trim().is_empty(),
                    "dilemma {}",
                    e.id
                );
                assert_ne!(t.0, t.1, "dilemma {}: untranslated `{}`", e.id, t.0);
            }
        }
    }

    #[test]
    fn the_article_situations_are_all_in_the_bank() {
        let themes: Vec<&str> = ENTRIES.iter().map(|e| e.theme.0).collect();
        for wanted in [
            "Feestje zonder Mila",
            "Uit de klassenapp gegooid",
            "Nieuwe groep zonder één leerling",
            "Roddelen over wie er niet bij is",
            "Bewust niet liken",
            "Samen ontvolgen",
            "Zelf buitengesloten",
            "Screenshot doorsturen",
            "De beheerder ‘ruimt op’",
        ] {
            assert!(themes.contains(&wanted), "{wanted}");
        }
    }
}
