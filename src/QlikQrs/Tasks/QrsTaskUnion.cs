namespace QlikQrs.Model;

// QRS's /task is a read-only union of the task families, so the generator gives its types no family; as the
// identity of "a task of any kind" they are entities with an id and a name all the same.
public sealed partial class Task : IQrsNamedEntity
{
}

public sealed partial class TaskCondensed : IQrsNamedEntity
{
}
