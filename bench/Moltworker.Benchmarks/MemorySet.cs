namespace Moltworker.Benchmarks;

/// <summary>
/// The synthetic memory set: each user gets one memory for each of 10 topics drawn from 12, from one of the topic's
/// phrasings with values drawn at random (seeded), and one question per memory in other words. Every question shares at
/// least one content word's stem with its memory ("drive" and "drives", "allergies" and "allergic") and is otherwise
/// worded apart from it; common words ("favourite", "weekend", "called", "lives") recur across topics as distractors.
/// Questions that share no word at all are left out: keyword ranking cannot find them, only vectors can.
/// </summary>
public static class MemorySet
{
    public sealed record Item(string User, string Memory, string Question);

    private sealed record Topic(string[] Memories, string[] Questions);

    private static readonly Dictionary<string, string[]> Values = new()
    {
        ["animal"] = ["dog", "cat", "parrot", "rabbit", "tortoise", "hamster"],
        ["name"] = ["Rex", "Luna", "Milo", "Ingrid", "Ola", "Kari", "Sven", "Bella", "Tore", "Nina"],
        ["city"] = ["Bergen", "Oslo", "Trondheim", "Lisbon", "Porto", "Kyoto", "Leeds", "Bremen"],
        ["food"] = ["lasagne", "sushi", "tacos", "ramen", "paella", "dumplings"],
        ["drink"] = ["black coffee", "green tea", "oat milk latte", "espresso", "rooibos"],
        ["job"] = ["nurse", "carpenter", "teacher", "pilot", "accountant", "chef"],
        ["sport"] = ["tennis", "football", "climbing", "rowing", "badminton", "handball"],
        ["band"] = ["Radiohead", "Abba", "Queen", "a-ha", "Metallica"],
        ["genre"] = ["jazz", "folk", "techno", "opera", "punk"],
        ["allergen"] = ["peanuts", "shellfish", "gluten", "pollen", "penicillin"],
        ["month"] = ["March", "June", "October", "December", "April"],
        ["lang"] = ["Spanish", "Japanese", "German", "Italian", "Finnish"],
        ["car"] = ["Volvo", "Tesla", "Skoda", "Toyota", "Fiat"],
        ["weekday"] = ["Monday", "Wednesday", "Friday", "Saturday"],
    };

    private static readonly Topic[] Topics =
    [
        new(["Has a {animal} called {name}", "Their pet {animal} is named {name}"], ["What is my pet called?", "What's the name of my {animal}?"]),
        new(["Lives in {city} with a view of the harbour", "Moved to {city} for work"], ["Which city do I live in now?", "Where did I move?"]),
        new(["Favourite food is {food}", "Loves eating {food} on the weekend"], ["What food should you cook for me?", "What do I love to eat?"]),
        new(["Drinks {drink} every morning", "Always orders {drink} in cafés"], ["What do I like to drink?", "What should I order for my morning drink?"]),
        new(["Works as a {job} at the hospital in {city}", "Has worked as a {job} for ten years"], ["What is my work?", "How long have I been working?"]),
        new(["Plays {sport} every {weekday}", "Trains {sport} at the club on weekends"], ["Which sport do I play?", "When do I go training?"]),
        new(["Listens to {genre} while cooking", "Favourite band is {band}"], ["What music do I listen to?", "Which band is my favourite?"]),
        new(["Allergic to {allergen}", "Has a serious allergy to {allergen}"], ["Do I have any allergies?", "What am I allergic to?"]),
        new(["Birthday is in {month}", "Was born in {city} in {month}"], ["When is my birthday?", "Where was I born?"]),
        new(["Speaks {lang} with the family", "Is learning {lang} in evening classes"], ["Which languages do I speak?", "What am I learning?"]),
        new(["Drives a {car}", "Bought a used {car} last spring"], ["What car do I drive?", "Which used car did I buy?"]),
        new(["Sister {name} lives in {city}", "Has a younger brother called {name}"], ["Where does my sister live?", "What is my brother called?"]),
    ];

    public static IReadOnlyList<Item> Generate(int seed, int users)
    {
        var random = new Random(seed);
        var items = new List<Item>();
        for (var u = 0; u < users; u++)
        {
            var user = u % 2 == 0 ? $"telegram:{1000 + u}" : $"discord:{1000 + u}";
            foreach (var topic in Topics.OrderBy(_ => random.Next()).Take(10))
            {
                var phrasing = random.Next(topic.Memories.Length);
                var slots = Values.ToDictionary(v => v.Key, v => v.Value[random.Next(v.Value.Length)]);
                items.Add(new Item(user, Fill(topic.Memories[phrasing], slots), Fill(topic.Questions[phrasing], slots)));
            }
        }
        return items;
    }

    private static string Fill(string template, Dictionary<string, string> slots)
    {
        foreach (var (key, value) in slots) template = template.Replace("{" + key + "}", value, StringComparison.Ordinal);
        return template;
    }
}
