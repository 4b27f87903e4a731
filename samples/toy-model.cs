#:project ../src/Nabla.Core/Nabla.Core.csproj
#:property PublishAot=false
// Notebook 004 (udlbook 7.1): backpropagation in a toy model, step by step, with Nabla's scalar engine.
//   f = β3 + ω3·cos(β2 + ω2·exp(β1 + ω1·sin(β0 + ω0·x))),  ℓ = (f − y)²
// Run: dotnet run samples/toy-model.cs
using Nabla.Scalars;
using static Nabla.Scalars.Value;

// The notebook's parameters and data point. Each is a leaf whose gradient Backward() fills in.
var beta0 = new Value(1.0, "beta0"); var beta1 = new Value(2.0, "beta1");
var beta2 = new Value(-3.0, "beta2"); var beta3 = new Value(0.4, "beta3");
var omega0 = new Value(0.1, "omega0"); var omega1 = new Value(-0.4, "omega1");
var omega2 = new Value(2.0, "omega2"); var omega3 = new Value(3.0, "omega3");
Value x = 2.3, y = 2.0; // plain numbers become constants

// Step 1, the forward pass: every intermediate value is a node we can read.
var f0 = beta0 + omega0 * x;
var h1 = Sin(f0);
var f1 = beta1 + omega1 * h1;
var h2 = Exp(f1);
var f2 = beta2 + omega2 * h2;
var h3 = Cos(f2);
var f3 = beta3 + omega3 * h3;
var l = Pow(f3 - y, 2);
Console.WriteLine($"l_i={l.Data:F3}");
foreach (var (name, node) in new[] { ("f0", f0), ("h1", h1), ("f1", f1), ("h2", h2), ("f2", f2), ("h3", h3), ("f3", f3) })
    Console.WriteLine($"{name}: value = {node.Data:F3}");

// Step 2, the backward pass: one call applies the chain rule from ℓ back to every node.
l.Backward();
foreach (var (name, node) in new[] { ("f3", f3), ("h3", h3), ("f2", f2), ("h2", h2), ("f1", f1), ("h1", h1), ("f0", f0) })
    Console.WriteLine($"dld{name}: value = {node.Grad:F3}");

// Step 3, the parameter derivatives: ∂ℓ/∂βk = ∂ℓ/∂fk and ∂ℓ/∂ωk = hk·∂ℓ/∂fk, already summed into each leaf.
foreach (var p in new[] { beta3, omega3, beta2, omega2, beta1, omega1, beta0, omega0 })
    Console.WriteLine($"dld{p.Label}: value = {p.Grad:F3}");

// The notebook checks ∂ℓ/∂ω0 with a finite difference of step 1e-5; so do we.
static double Loss(double w0) =>
    Math.Pow(0.4 + 3.0 * Math.Cos(-3.0 + 2.0 * Math.Exp(2.0 + -0.4 * Math.Sin(1.0 + w0 * 2.3))) - 2.0, 2);
double fd = (Loss(0.1 + 0.00001) - Loss(0.1)) / 0.00001;
Console.WriteLine($"dldomega0: backprop = {omega0.Grad:F3}, finite difference = {fd:F3}");
