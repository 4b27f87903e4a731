using System.Runtime.InteropServices;

namespace Nabla.Distributed;

/// <summary>
/// Open MPI's C library, loaded at run time: the entry points Nabla calls as function pointers, and the predefined
/// handles, which in Open MPI are the addresses of global objects (<c>MPI_COMM_WORLD</c> is <c>&amp;ompi_mpi_comm_world</c>,
/// <c>MPI_DOUBLE</c> is <c>&amp;ompi_mpi_double</c>, …), so they are resolved like functions. Other MPI libraries (MPICH)
/// use integer handles and a different binary interface; they are refused by name.
/// </summary>
internal sealed unsafe class MpiLibrary
{
    /// <summary>Where the library is looked for: the soname Debian's libopenmpi3 installs, then the development link.</summary>
    public static readonly string[] Names = ["libmpi.so.40", "libmpi.so"];

    public const int Success = 0, ThreadSerialized = 2, MaxErrorString = 256;
    public static readonly nint InPlace = 1;  // Open MPI's MPI_IN_PLACE

    private readonly nint handle;

    private MpiLibrary(nint handle, string name)
    {
        this.handle = handle;
        Name = name;
        InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)Function("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)Function("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)Function("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)Function("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)Function("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)Function("MPI_Comm_size");
        CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Function("MPI_Comm_set_errhandler");
        Allreduce = (delegate* unmanaged<nint, void*, int, nint, nint, nint, int>)Function("MPI_Allreduce");
        Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Function("MPI_Bcast");
        Barrier = (delegate* unmanaged<nint, int>)Function("MPI_Barrier");
        Abort = (delegate* unmanaged<nint, int, int>)Function("MPI_Abort");
        ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Function("MPI_Error_string");
        CommWorld = Handle("ompi_mpi_comm_world");
        Double = Handle("ompi_mpi_double");
        Float = Handle("ompi_mpi_float");
        Byte = Handle("ompi_mpi_byte");
        Sum = Handle("ompi_mpi_op_sum");
        ErrorsReturn = Handle("ompi_mpi_errors_return");
    }

    /// <summary>The file that was loaded.</summary>
    public string Name { get; }

    public readonly delegate* unmanaged<int*, nint, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int*, int> Initialized, Finalized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int*, int> CommRank, CommSize;
    public readonly delegate* unmanaged<nint, nint, int> CommSetErrhandler;
    public readonly delegate* unmanaged<nint, void*, int, nint, nint, nint, int> Allreduce;
    public readonly delegate* unmanaged<void*, int, nint, int, nint, int> Bcast;
    public readonly delegate* unmanaged<nint, int> Barrier;
    public readonly delegate* unmanaged<nint, int, int> Abort;
    public readonly delegate* unmanaged<int, byte*, int*, int> ErrorString;
    public readonly nint CommWorld, Double, Float, Byte, Sum, ErrorsReturn;

    /// <summary>Loads Open MPI, or throws a <see cref="NablaException"/> that says what to install.</summary>
    public static MpiLibrary Load() => Load(Names);

    /// <summary>Loads the first of <paramref name="names"/> that exists (tests pass names that do not).</summary>
    public static MpiLibrary Load(string[] names)
    {
        foreach (var name in names)
        {
            if (!NativeLibrary.TryLoad(name, out nint handle)) continue;
            // Open MPI opens its plugins later and they expect libmpi's symbols to be global, as mpicc links them;
            // .NET opens libraries privately (RTLD_LOCAL), so reopen it with RTLD_GLOBAL (the loaded copy, not another).
            PromoteToGlobal(name);
            return new MpiLibrary(handle, name);
        }
        throw new NablaException($"distributed training needs Open MPI, but its library ({string.Join(" or ", names)}) was not found; " +
            "install it (Debian/Ubuntu: apt-get install openmpi-bin) and start the ranks with mpirun -np N")
        {
            Setting = "distributed",
        };
    }

    private nint Function(string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out nint address) ? address
            : throw new NablaException($"{Name} has no {symbol}: it is not a usable MPI library (Nabla needs Open MPI 4 or later)");

    private nint Handle(string symbol) =>
        NativeLibrary.TryGetExport(handle, symbol, out nint address) ? address
            : throw new NablaException($"{Name} has no {symbol}: Nabla binds Open MPI's handles, and this MPI library is not Open MPI (MPICH and others are not supported)");

    private const int RtldNow = 2, RtldNoLoad = 4, RtldGlobal = 0x100;

    private static void PromoteToGlobal(string name)
    {
        try { DlopenLibc(name, RtldNow | RtldNoLoad | RtldGlobal); }
        catch (EntryPointNotFoundException) { DlopenLibdl(name, RtldNow | RtldNoLoad | RtldGlobal); }
        catch (DllNotFoundException) { DlopenLibdl(name, RtldNow | RtldNoLoad | RtldGlobal); }
    }

    [DllImport("libc", EntryPoint = "dlopen")]
    private static extern nint DlopenLibc([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);

    [DllImport("libdl.so.2", EntryPoint = "dlopen")]
    private static extern nint DlopenLibdl([MarshalAs(UnmanagedType.LPUTF8Str)] string file, int mode);
}
