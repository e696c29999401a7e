using System.ComponentModel;
using System.Reflection;
using System.Reflection.Emit;
using Microsoft.SemanticKernel;

namespace Moltworker.Benchmarks;

/// <summary>
/// Writes a drop-in plugin assembly for the <c>plugins</c> benchmark without a compiler: <paramref name="classes"/> public
/// SK plugin classes (plugins named after the assembly and the class number, so two assemblies never clash), each with <paramref name="functions"/> <c>[KernelFunction]</c> methods taking one described string
/// and returning it with a tag (so two editions differ). It references only the framework and
/// Microsoft.SemanticKernel.Abstractions, like any existing SK plugin.
/// </summary>
public static class PluginAssemblyWriter
{
    public static void Write(string path, string assemblyName, int classes, int functions, string tag)
    {
        var assembly = new PersistedAssemblyBuilder(new AssemblyName(assemblyName) { Version = new Version(1, 0) }, typeof(object).Assembly);
        var module = assembly.DefineDynamicModule(assemblyName);
        var kernelFunction = typeof(KernelFunctionAttribute).GetConstructor([typeof(string)])!;
        var description = typeof(DescriptionAttribute).GetConstructor([typeof(string)])!;
        var concat = typeof(string).GetMethod(nameof(string.Concat), [typeof(string), typeof(string)])!;
        for (var c = 0; c < classes; c++)
        {
            var type = module.DefineType($"{assemblyName}.{assemblyName}Set{c}Plugin", TypeAttributes.Public | TypeAttributes.Class | TypeAttributes.Sealed);
            type.DefineDefaultConstructor(MethodAttributes.Public);
            for (var f = 0; f < functions; f++)
            {
                var method = type.DefineMethod($"Echo{f}", MethodAttributes.Public, typeof(string), [typeof(string)]);
                method.SetCustomAttribute(new CustomAttributeBuilder(kernelFunction, [$"{assemblyName.ToLowerInvariant()}_s{c}_f{f}"]));
                method.SetCustomAttribute(new CustomAttributeBuilder(description, [$"Echoes the text (set {c}, function {f})."]));
                method.DefineParameter(1, ParameterAttributes.None, "text").SetCustomAttribute(new CustomAttributeBuilder(description, ["The text to echo"]));
                var il = method.GetILGenerator();
                il.Emit(OpCodes.Ldarg_1);
                il.Emit(OpCodes.Ldstr, $" ({tag})");
                il.Emit(OpCodes.Call, concat);
                il.Emit(OpCodes.Ret);
            }
            type.CreateType();
        }
        assembly.Save(path);
    }
}
