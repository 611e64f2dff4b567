using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace AwaitHuman.Core.Tests.Architecture;

/// <summary>
/// The capability folders of AwaitHuman.Core use each other in one direction only: no capability may
/// reach, through any chain of type references, back to itself. References are read from the compiled
/// assembly, method bodies and compiler-generated types (lambdas, async state machines) included, so a
/// fully qualified name or a <c>var</c> counts as much as a <c>using</c>.
/// </summary>
public class CapabilityDependencyTests
{
    [Fact]
    public void Capabilities_depend_on_each_other_in_one_direction()
    {
        var graph = CapabilityGraph.Of(typeof(RetrySchedules).Assembly.Location, "AwaitHuman.Core");

        var cycles = graph.Cycles();

        if (cycles.Count > 0) Assert.Fail(graph.Describe(cycles));
    }

    [Fact]
    public void A_reference_made_only_in_a_lambda_or_an_async_method_counts()
    {
        var graph = CapabilityGraph.Of(typeof(CapabilityDependencyTests).Assembly.Location, typeof(Samples.Ground).Namespace!);

        var cycles = graph.Cycles();

        cycles.ShouldHaveSingleItem().ShouldBe(["Lower", "Upper", "Lower"]);
        graph.Edges[("Lower", "Upper")].ShouldBe([$"{typeof(Samples.Lower.Counter).FullName} -> {typeof(Samples.Upper.Tally).FullName}"]);
        graph.Edges[("Upper", "Lower")].ShouldBe([$"{typeof(Samples.Upper.Tally).FullName} -> {typeof(Samples.Lower.Counter).FullName}"]);
        graph.Edges.Keys.ShouldNotContain(("Lower", CapabilityGraph.Root));
    }
}

/// <summary>Which capability of AwaitHuman.Core uses which, and the types behind each use.</summary>
public sealed class CapabilityGraph
{
    /// <summary>The ground floor: types directly in the root namespace.</summary>
    public const string Root = "(root)";

    readonly string _rootNamespace;

    CapabilityGraph(string rootNamespace) => _rootNamespace = rootNamespace;

    public Dictionary<(string From, string To), SortedSet<string>> Edges { get; } = [];

    /// <param name="rootNamespace">Each namespace segment after it is a capability.</param>
    public static CapabilityGraph Of(string assemblyPath, string rootNamespace)
    {
        var graph = new CapabilityGraph(rootNamespace);
        using var module = ModuleDefinition.ReadModule(assemblyPath);
        foreach (var type in module.GetTypes())
        {
            if (graph.CapabilityOf(type) is not { } from) continue;
            foreach (var used in ReferencedTypes(type))
            {
                if (used.Scope is AssemblyNameReference) continue;
                if (graph.CapabilityOf(used) is not { } to || to == from) continue;
                var reason = $"{Outermost(type).FullName} -> {Outermost(used).FullName}";
                if (!graph.Edges.TryGetValue((from, to), out var reasons)) graph.Edges[(from, to)] = reasons = [];
                reasons.Add(reason);
            }
        }
        return graph;
    }

    /// <summary>
    /// The capability owning a type: the namespace segment after the root namespace of its outermost
    /// declaring type, so a lambda's closure class or a state machine counts for the capability that wrote it.
    /// </summary>
    string? CapabilityOf(TypeReference type)
    {
        var ns = Outermost(type).Namespace;
        if (ns == _rootNamespace) return Root;
        if (!ns.StartsWith(_rootNamespace + ".", StringComparison.Ordinal)) return null;
        return ns[(_rootNamespace.Length + 1)..].Split('.')[0];
    }

    /// <summary>Every cycle's path, one per strongly connected group of capabilities, shortest first.</summary>
    public List<List<string>> Cycles()
    {
        var nodes = Edges.Keys.SelectMany(e => new[] { e.From, e.To }).Distinct().Order().ToList();
        var next = nodes.ToDictionary(n => n, n => Edges.Keys.Where(e => e.From == n).Select(e => e.To).Order().ToList());
        var cycles = new List<List<string>>();
        foreach (var group in StronglyConnected(nodes, next).Where(g => g.Count > 1))
        {
            // Every edge inside a group lies on some cycle; list one shortest cycle through each such edge.
            var inGroup = group.ToHashSet();
            foreach (var (from, to) in Edges.Keys.Where(e => inGroup.Contains(e.From) && inGroup.Contains(e.To)).Order())
            {
                var back = ShortestPath(to, from, next, inGroup)!;
                var cycle = new List<string> { from };
                cycle.AddRange(back);
                if (!cycles.Any(c => SameCycle(c, cycle))) cycles.Add(cycle);
            }
        }
        return cycles.OrderBy(c => c.Count).ToList();
    }

    public string Describe(List<List<string>> cycles)
    {
        var text = new StringBuilder($"{cycles.Count} cycle(s) between the capabilities of {_rootNamespace}:");
        foreach (var cycle in cycles)
        {
            text.AppendLine().AppendLine().Append("  ").AppendJoin(" -> ", cycle);
            foreach (var (from, to) in cycle.Zip(cycle.Skip(1)))
            {
                text.AppendLine().Append($"    {from} -> {to} because");
                foreach (var reason in Edges[(from, to)].Take(8)) text.AppendLine().Append($"      {reason}");
                if (Edges[(from, to)].Count > 8) text.AppendLine().Append($"      ... and {Edges[(from, to)].Count - 8} more");
            }
        }
        return text.ToString();
    }

    static bool SameCycle(List<string> a, List<string> b) =>
        a.Count == b.Count && a.Skip(1).ToHashSet().SetEquals(b.Skip(1)) &&
        Enumerable.Range(0, a.Count - 1).Any(shift => a.Skip(1).Select((_, i) => a[1 + (i + shift) % (a.Count - 1)]).SequenceEqual(b.Skip(1)));

    static List<string>? ShortestPath(string from, string to, Dictionary<string, List<string>> next, HashSet<string> within)
    {
        var previous = new Dictionary<string, string?> { [from] = null };
        var queue = new Queue<string>([from]);
        while (queue.TryDequeue(out var node))
        {
            if (node == to)
            {
                var path = new List<string>();
                for (string? at = to; at is not null; at = previous[at]) path.Add(at);
                path.Reverse();
                return path;
            }
            foreach (var n in next[node].Where(within.Contains).Where(n => !previous.ContainsKey(n)))
            {
                previous[n] = node;
                queue.Enqueue(n);
            }
        }
        return null;
    }

    // Tarjan's algorithm.
    static List<List<string>> StronglyConnected(List<string> nodes, Dictionary<string, List<string>> next)
    {
        var index = new Dictionary<string, int>();
        var low = new Dictionary<string, int>();
        var stack = new Stack<string>();
        var onStack = new HashSet<string>();
        var groups = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            onStack.Add(node);
            foreach (var n in next[node])
            {
                if (!index.ContainsKey(n))
                {
                    Visit(n);
                    low[node] = Math.Min(low[node], low[n]);
                }
                else if (onStack.Contains(n)) low[node] = Math.Min(low[node], index[n]);
            }
            if (low[node] != index[node]) return;
            var group = new List<string>();
            string member;
            do
            {
                member = stack.Pop();
                onStack.Remove(member);
                group.Add(member);
            } while (member != node);
            groups.Add(group);
        }

        foreach (var node in nodes.Where(n => !index.ContainsKey(n))) Visit(node);
        return groups;
    }

    static TypeReference Outermost(TypeReference type)
    {
        type = type.GetElementType();
        while (type.DeclaringType is { } outer) type = outer;
        return type;
    }

    static IEnumerable<TypeReference> ReferencedTypes(TypeDefinition type)
    {
        var found = new List<TypeReference>();
        if (type.BaseType is { } baseType) found.Add(baseType);
        found.AddRange(type.Interfaces.Select(i => i.InterfaceType));
        AddAttributes(type, found);
        AddGenericParameters(type, found);
        foreach (var field in type.Fields)
        {
            found.Add(field.FieldType);
            AddAttributes(field, found);
        }
        foreach (var property in type.Properties)
        {
            found.Add(property.PropertyType);
            AddAttributes(property, found);
        }
        foreach (var @event in type.Events) found.Add(@event.EventType);
        foreach (var method in type.Methods)
        {
            AddMethod(method, found);
            AddAttributes(method, found);
            AddGenericParameters(method, found);
            foreach (var parameter in method.Parameters) AddAttributes(parameter, found);
            AddAttributes(method.MethodReturnType, found);
            if (!method.HasBody) continue;
            found.AddRange(method.Body.Variables.Select(v => v.VariableType));
            found.AddRange(method.Body.ExceptionHandlers.Where(h => h.CatchType is not null).Select(h => h.CatchType));
            foreach (var instruction in method.Body.Instructions) AddOperand(instruction, found);
        }
        return found.SelectMany(Flatten);
    }

    static void AddOperand(Instruction instruction, List<TypeReference> found)
    {
        switch (instruction.Operand)
        {
            case TypeReference operandType: found.Add(operandType); break;
            case MethodReference method: AddMethod(method, found); break;
            case FieldReference field:
                found.Add(field.DeclaringType);
                found.Add(field.FieldType);
                break;
        }
    }

    static void AddMethod(MethodReference method, List<TypeReference> found)
    {
        found.Add(method.DeclaringType);
        found.Add(method.ReturnType);
        found.AddRange(method.Parameters.Select(p => p.ParameterType));
        if (method is GenericInstanceMethod generic) found.AddRange(generic.GenericArguments);
    }

    static void AddGenericParameters(IGenericParameterProvider owner, List<TypeReference> found)
    {
        foreach (var parameter in owner.GenericParameters) found.AddRange(parameter.Constraints.Select(c => c.ConstraintType));
    }

    static void AddAttributes(ICustomAttributeProvider owner, List<TypeReference> found)
    {
        foreach (var attribute in owner.CustomAttributes)
        {
            found.Add(attribute.AttributeType);
            // typeof(...) in an attribute's arguments.
            found.AddRange(attribute.ConstructorArguments.Concat(attribute.Properties.Select(p => p.Argument)).Concat(attribute.Fields.Select(f => f.Argument))
                .Select(a => a.Value).OfType<TypeReference>());
        }
    }

    /// <summary>The type itself and every type it is made of: generic arguments, array and by-ref elements.</summary>
    static IEnumerable<TypeReference> Flatten(TypeReference type)
    {
        switch (type)
        {
            case GenericInstanceType generic:
                foreach (var part in Flatten(generic.ElementType)) yield return part;
                foreach (var argument in generic.GenericArguments)
                foreach (var part in Flatten(argument)) yield return part;
                break;
            case TypeSpecification specification:
                foreach (var part in Flatten(specification.ElementType)) yield return part;
                break;
            case GenericParameter: break;
            default: yield return type; break;
        }
    }
}
