from veille.importers.placeholders import curator_for_name, placeholder_user, scoops_topic


def test_placeholder_is_created_once_without_a_usable_password(db):
    user = placeholder_user(name="Marie  Morgane Taupiac")
    assert (user.username, user.display_name) == ("marie-morgane-taupiac", "Marie Morgane Taupiac")
    assert user.is_placeholder and not user.has_usable_password()
    assert placeholder_user(name="Marie Morgane Taupiac") == user


def test_placeholder_never_takes_a_real_account_or_its_username(make_user):
    real = make_user("david-ahnine-cm", display_name="David Ahnine CM")
    placeholder = placeholder_user(name="David Ahnine CM")
    assert placeholder != real
    assert placeholder.username == "david-ahnine-cm-2"


def test_placeholder_username_is_short_ascii_and_not_a_topic_address(topic):
    long = placeholder_user(name="Élodie de la Fontaine-Marchand du Sud-Ouest")
    assert long.username == "elodie-de-la-fontaine-marchand"
    assert placeholder_user(name="Toulouse Networks").username == "toulouse-networks-2"
    assert placeholder_user(name="小明").username == "curator"


def test_curator_for_name_finds_the_account_with_that_username(make_user):
    jacques = make_user("jacques-le-bris")
    assert curator_for_name(name="Jacques Le Bris") == jacques
    assert curator_for_name(name="小明").is_placeholder


def test_scoops_topic_is_created_once_per_curator(db):
    user = placeholder_user(name="Patrick Bouillaud")
    topic = scoops_topic(user=user, language="fr")
    assert (topic.slug, topic.title, topic.language) == (
        "patrick-bouillaud-scoops",
        "Patrick Bouillaud's scoops",
        "fr",
    )
    assert topic.curators.get().user == user
    assert scoops_topic(user=user, language="fr") == topic
